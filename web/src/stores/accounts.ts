import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Account, CreateAccountRequest, UpdateAccountRequest } from '@inbox/shared';
import * as api from '../api/accounts';
import { ApiError } from '../api/http';

/**
 * The Official Accounts the user may see: names for badges and the per-account views, and (for admins)
 * what the accounts screen edits.
 */
export const useAccountsStore = defineStore('accounts', () => {
  const accounts = ref<Account[]>([]);
  const loaded = ref(false);
  /**
   * Member user ids by account, once known (loaded or saved). An account missing here has members the
   * console does not know: the server may not offer `GET /api/accounts/:id/members`.
   */
  const members = ref<Record<string, string[]>>({});

  const byId = computed<Record<string, Account>>(() => Object.fromEntries(accounts.value.map((a) => [a.id, a])));
  const sorted = computed<Account[]>(() => [...accounts.value].sort((a, b) => a.name.localeCompare(b.name)));

  function applyAccounts(list: Account[]): void {
    accounts.value = list;
    loaded.value = true;
  }

  /** A new or changed account (an answer of POST or PATCH): replaces the copy with the same id. */
  function applyAccount(account: Account): void {
    const index = accounts.value.findIndex((a) => a.id === account.id);
    if (index === -1) accounts.value.push(account);
    else accounts.value.splice(index, 1, account);
  }

  function applyAccountRemoved(id: string): void {
    accounts.value = accounts.value.filter((a) => a.id !== id);
    delete members.value[id];
  }

  function applyMembers(accountId: string, userIds: string[]): void {
    members.value[accountId] = [...new Set(userIds)];
  }

  async function load(): Promise<void> {
    applyAccounts(await api.listAccounts());
  }

  async function create(body: CreateAccountRequest): Promise<Account> {
    const account = await api.createAccount(body);
    applyAccount(account);
    return account;
  }

  async function update(id: string, body: UpdateAccountRequest): Promise<Account> {
    const account = await api.updateAccount(id, body);
    applyAccount(account);
    return account;
  }

  async function remove(id: string): Promise<void> {
    try {
      await api.deleteAccount(id);
    } catch (error) {
      // Already gone (deleted elsewhere): the list should not keep showing it.
      if (!(error instanceof ApiError && error.code === 'accounts/not_found')) throw error;
    }
    applyAccountRemoved(id);
  }

  /**
   * Asks for the current members. Resolves to null when the server has no way to tell them
   * (404 `http/not_found`: the endpoint does not exist); other errors are thrown.
   */
  async function loadMembers(id: string): Promise<string[] | null> {
    try {
      const answer = await api.getAccountMembers(id);
      applyMembers(id, answer.userIds);
      return members.value[id] ?? [];
    } catch (error) {
      if (error instanceof ApiError && error.code === 'http/not_found') return members.value[id] ?? null;
      throw error;
    }
  }

  async function saveMembers(id: string, userIds: string[]): Promise<string[]> {
    const answer = await api.setAccountMembers(id, userIds);
    applyMembers(id, answer.userIds);
    return members.value[id] ?? [];
  }

  function nameOf(id: string): string | undefined {
    return byId.value[id]?.name;
  }

  function reset(): void {
    accounts.value = [];
    members.value = {};
    loaded.value = false;
  }

  return {
    accounts,
    loaded,
    members,
    byId,
    sorted,
    applyAccounts,
    applyAccount,
    applyAccountRemoved,
    applyMembers,
    load,
    create,
    update,
    remove,
    loadMembers,
    saveMembers,
    nameOf,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAccountsStore, import.meta.hot));

import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type {
  SandboxAccount,
  SandboxCustomer,
  SandboxEventRequest,
  SandboxInbox,
  SandboxInboxItem,
  SandboxMessageRequest,
  SandboxPushResult,
} from '@inbox/shared';
import * as api from '../api/sandbox';
import { ApiError } from '../api/http';

/** `unknown` until asked; `off` when the server runs without SANDBOX=1 (the control API answers 404). */
export type SandboxStatus = 'unknown' | 'on' | 'off';

/**
 * The built-in WeChat as a customer sees it: the sandbox's accounts, their simulated customers, and the
 * phone (inbox) of the customer being played. Answers from the server go through the apply* actions.
 */
export const useSandboxStore = defineStore('sandbox', () => {
  const status = ref<SandboxStatus>('unknown');
  const accounts = ref<SandboxAccount[]>([]);
  /** Customers by account id, as last listed. */
  const customers = ref<Record<string, SandboxCustomer[]>>({});
  const accountId = ref<string | null>(null);
  const openid = ref<string | null>(null);
  /** The phone of the selected customer (null until loaded, or when none is selected). */
  const inbox = ref<SandboxInbox | null>(null);

  let probing: Promise<SandboxStatus> | null = null;

  const account = computed<SandboxAccount | null>(() => accounts.value.find((a) => a.id === accountId.value) ?? null);
  const customersOfAccount = computed<SandboxCustomer[]>(() =>
    accountId.value ? (customers.value[accountId.value] ?? []) : [],
  );
  const customer = computed<SandboxCustomer | null>(
    () => customersOfAccount.value.find((c) => c.openid === openid.value) ?? null,
  );
  const items = computed<SandboxInboxItem[]>(() => inbox.value?.items ?? []);

  /** The sandbox answered with its accounts: it is on. A selection that no longer exists is dropped. */
  function applyAccounts(list: SandboxAccount[]): void {
    status.value = 'on';
    accounts.value = list;
    if (accountId.value !== null && !list.some((a) => a.id === accountId.value)) select(null);
  }

  /** The control API is not there: the server runs without the sandbox. */
  function applyOff(): void {
    status.value = 'off';
    accounts.value = [];
    customers.value = {};
    select(null);
  }

  function applyCustomers(forAccount: string, list: SandboxCustomer[]): void {
    customers.value[forAccount] = list;
  }

  /** A new or changed customer (created, or as the phone last showed them). */
  function applyCustomer(forAccount: string, c: SandboxCustomer): void {
    const list = customers.value[forAccount] ?? [];
    const index = list.findIndex((x) => x.openid === c.openid);
    customers.value[forAccount] = index === -1 ? [...list, c] : list.map((x, i) => (i === index ? c : x));
  }

  /**
   * The phone as the server showed it. An answer for a customer who is no longer selected (a slow poll
   * after switching) is not shown, but still refreshes what is known of that customer.
   */
  function applyInbox(next: SandboxInbox): void {
    applyCustomer(next.accountId, next.customer);
    if (next.accountId !== accountId.value || next.customer.openid !== openid.value) return;
    inbox.value = next;
  }

  /** Plays another account (its customer selection is cleared). */
  function select(id: string | null): void {
    if (id === accountId.value) return;
    accountId.value = id;
    openid.value = null;
    inbox.value = null;
  }

  function selectCustomer(id: string | null): void {
    if (id === openid.value) return;
    openid.value = id;
    inbox.value = null;
  }

  /** Whether the sandbox is on, asked once (concurrent callers share the answer). */
  function probe(): Promise<SandboxStatus> {
    if (status.value !== 'unknown') return Promise.resolve(status.value);
    return loadAccounts();
  }

  /** Lists the accounts again; a 404 means the sandbox is off. Other failures leave the status as it was. */
  function loadAccounts(): Promise<SandboxStatus> {
    probing ??= (async () => {
      try {
        applyAccounts(await api.listSandboxAccounts());
      } catch (error) {
        if (error instanceof ApiError && error.code === 'http/not_found') applyOff();
        else throw error;
      } finally {
        probing = null;
      }
      return status.value;
    })();
    return probing;
  }

  async function loadCustomers(forAccount: string): Promise<void> {
    applyCustomers(forAccount, await api.listSandboxCustomers(forAccount));
  }

  /** A new simulated customer of the selected account, who then becomes the one played. */
  async function createCustomer(displayName: string): Promise<SandboxCustomer> {
    const forAccount = requireAccount();
    const name = displayName.trim();
    const created = await api.createSandboxCustomer(forAccount, name ? { displayName: name } : {});
    applyCustomer(forAccount, created);
    if (accountId.value === forAccount) selectCustomer(created.openid);
    return created;
  }

  async function refreshInbox(): Promise<void> {
    const forAccount = accountId.value;
    const forCustomer = openid.value;
    if (!forAccount || !forCustomer) return;
    applyInbox(await api.getSandboxInbox(forAccount, forCustomer));
  }

  /** The selected customer writes (the answer comes once WeChat is done delivering); the phone is refreshed. */
  async function sendMessage(body: SandboxMessageRequest): Promise<SandboxPushResult> {
    const [forAccount, forCustomer] = requireCustomer();
    try {
      return await api.sendSandboxMessage(forAccount, forCustomer, body);
    } finally {
      await refreshInbox().catch(() => undefined);
    }
  }

  async function sendEvent(body: SandboxEventRequest): Promise<SandboxPushResult> {
    const [forAccount, forCustomer] = requireCustomer();
    try {
      return await api.sendSandboxEvent(forAccount, forCustomer, body);
    } finally {
      await refreshInbox().catch(() => undefined);
    }
  }

  function requireAccount(): string {
    if (!accountId.value) throw new Error('no sandbox account selected');
    return accountId.value;
  }

  function requireCustomer(): [string, string] {
    const forAccount = requireAccount();
    if (!openid.value) throw new Error('no sandbox customer selected');
    return [forAccount, openid.value];
  }

  function reset(): void {
    status.value = 'unknown';
    accounts.value = [];
    customers.value = {};
    accountId.value = null;
    openid.value = null;
    inbox.value = null;
  }

  return {
    status,
    accounts,
    customers,
    accountId,
    openid,
    inbox,
    account,
    customersOfAccount,
    customer,
    items,
    applyAccounts,
    applyOff,
    applyCustomers,
    applyCustomer,
    applyInbox,
    select,
    selectCustomer,
    probe,
    loadAccounts,
    loadCustomers,
    createCustomer,
    refreshInbox,
    sendMessage,
    sendEvent,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSandboxStore, import.meta.hot));

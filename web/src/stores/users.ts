import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Colleague, CreateUserRequest, UpdateUserRequest, User } from '@inbox/shared';
import * as api from '../api/users';

/**
 * Users and colleagues. `users` is what the admin's users screen edits (only admins may list users);
 * `colleagues` (every role) are the active people who share an account with the caller: names for
 * assignees, senders, typing and presence, and the candidates of the assignee picker.
 */
export const useUsersStore = defineStore('users', () => {
  const users = ref<User[]>([]);
  const colleagues = ref<Colleague[]>([]);
  const colleaguesById = computed<Record<string, Colleague>>(() =>
    Object.fromEntries(colleagues.value.map((c) => [c.id, c])),
  );
  const byId = computed<Record<string, User>>(() => Object.fromEntries(users.value.map((u) => [u.id, u])));
  const sorted = computed<User[]>(() => [...users.value].sort((a, b) => a.name.localeCompare(b.name)));

  function applyUsers(list: User[]): void {
    users.value = list;
  }

  function applyColleagues(list: Colleague[]): void {
    colleagues.value = list;
  }

  async function loadColleagues(): Promise<void> {
    applyColleagues(await api.listColleagues());
  }

  /** Who may be given a conversation of this account: active colleagues who see it, by name. */
  function assigneesFor(accountId: string): Colleague[] {
    return colleagues.value
      .filter((c) => c.role !== 'manager' && c.accountIds.includes(accountId))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A new or changed user (an answer of POST or PATCH): replaces the copy with the same id. */
  function applyUser(user: User): void {
    const index = users.value.findIndex((u) => u.id === user.id);
    if (index === -1) users.value.push(user);
    else users.value.splice(index, 1, user);
  }

  async function load(): Promise<void> {
    applyUsers(await api.listUsers());
  }

  async function create(body: CreateUserRequest): Promise<User> {
    const user = await api.createUser(body);
    applyUser(user);
    return user;
  }

  async function update(id: string, body: UpdateUserRequest): Promise<User> {
    const user = await api.updateUser(id, body);
    applyUser(user);
    return user;
  }

  /** Admin password reset; the user's sessions end. */
  async function resetPassword(id: string, password: string): Promise<void> {
    await api.resetPassword(id, { password });
  }

  /** Removes the user's second factor. */
  async function resetTotp(id: string): Promise<void> {
    await api.resetUserTotp(id);
    const user = byId.value[id];
    if (user) applyUser({ ...user, totpEnabled: false });
  }

  /** Logs the user out everywhere; how many sessions ended. */
  async function revokeSessions(id: string): Promise<number> {
    return (await api.revokeUserSessions(id)).revoked;
  }

  function nameOf(id: string): string | undefined {
    return byId.value[id]?.name ?? colleaguesById.value[id]?.name;
  }

  function reset(): void {
    users.value = [];
    colleagues.value = [];
  }

  return {
    users,
    colleagues,
    colleaguesById,
    applyColleagues,
    loadColleagues,
    assigneesFor,
    byId,
    sorted,
    applyUsers,
    applyUser,
    load,
    create,
    update,
    resetPassword,
    resetTotp,
    revokeSessions,
    nameOf,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useUsersStore, import.meta.hot));

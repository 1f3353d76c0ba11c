import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CannedResponse, SaveCannedResponseRequest } from '@inbox/shared';
import * as api from '../api/cannedResponses';
import { ApiError } from '../api/http';

/** By shortcut; on a tie the account's own reply comes before the global one. */
function byShortcut(a: CannedResponse, b: CannedResponse): number {
  return a.shortcut.localeCompare(b.shortcut) || Number(a.accountId === null) - Number(b.accountId === null);
}

/** The replies usable in a conversation of this account: the global ones and the account's, by shortcut. */
export function cannedForAccount(list: readonly CannedResponse[], accountId: string): CannedResponse[] {
  return list.filter((c) => c.accountId === null || c.accountId === accountId).sort(byShortcut);
}

/**
 * What an agent's typing finds among the account's replies, best first: shortcuts starting with the text,
 * then shortcuts containing it, then replies whose text contains it. Case-insensitive; a leading `/` (the
 * composer's trigger) is ignored; an empty query finds every reply of the account.
 */
export function searchCanned(list: readonly CannedResponse[], accountId: string, text: string): CannedResponse[] {
  const query = text.trim().replace(/^\//, '').toLowerCase();
  const usable = cannedForAccount(list, accountId);
  if (query === '') return usable;
  const rank = (c: CannedResponse): number => {
    const shortcut = c.shortcut.toLowerCase();
    if (shortcut.startsWith(query)) return 0;
    if (shortcut.includes(query)) return 1;
    if (c.text.toLowerCase().includes(query)) return 2;
    return 3;
  };
  return usable
    .map((c) => ({ c, rank: rank(c) }))
    .filter((x) => x.rank < 3)
    .sort((a, b) => a.rank - b.rank || byShortcut(a.c, b.c))
    .map((x) => x.c);
}

/**
 * Saved replies: what the composer offers (global ones and those of the conversation's account), and (for
 * admins and supervisors) what the canned responses screen edits.
 */
export const useCannedResponsesStore = defineStore('cannedResponses', () => {
  const items = ref<CannedResponse[]>([]);
  const loaded = ref(false);

  const byId = computed<Record<string, CannedResponse>>(() => Object.fromEntries(items.value.map((c) => [c.id, c])));
  const sorted = computed<CannedResponse[]>(() => [...items.value].sort(byShortcut));

  function applyCannedResponses(list: CannedResponse[]): void {
    items.value = list;
    loaded.value = true;
  }

  /** A new or changed reply (an answer of POST or PATCH): replaces the copy with the same id. */
  function applyCannedResponse(reply: CannedResponse): void {
    const index = items.value.findIndex((c) => c.id === reply.id);
    if (index === -1) items.value.push(reply);
    else items.value.splice(index, 1, reply);
  }

  function applyCannedResponseRemoved(id: string): void {
    items.value = items.value.filter((c) => c.id !== id);
  }

  /** Every reply the user may use (all the accounts they see). */
  async function load(): Promise<void> {
    applyCannedResponses(await api.listCannedResponses());
  }

  async function create(body: SaveCannedResponseRequest): Promise<CannedResponse> {
    const reply = await api.createCannedResponse(body);
    applyCannedResponse(reply);
    return reply;
  }

  async function update(id: string, body: SaveCannedResponseRequest): Promise<CannedResponse> {
    const reply = await api.updateCannedResponse(id, body);
    applyCannedResponse(reply);
    return reply;
  }

  async function remove(id: string): Promise<void> {
    try {
      await api.deleteCannedResponse(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'canned_responses/not_found')) throw error;
    }
    applyCannedResponseRemoved(id);
  }

  function forAccount(accountId: string): CannedResponse[] {
    return cannedForAccount(items.value, accountId);
  }

  function search(accountId: string, text: string): CannedResponse[] {
    return searchCanned(items.value, accountId, text);
  }

  function reset(): void {
    items.value = [];
    loaded.value = false;
  }

  return {
    items,
    loaded,
    byId,
    sorted,
    applyCannedResponses,
    applyCannedResponse,
    applyCannedResponseRemoved,
    load,
    create,
    update,
    remove,
    forAccount,
    search,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCannedResponsesStore, import.meta.hot));

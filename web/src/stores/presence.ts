import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { PresenceEvent, PresenceResponse } from '@inbox/shared';
import * as api from '../api/presence';

/**
 * Which colleagues are online: the list from `GET /api/presence` (loaded on every socket connect, so a
 * reconnect catches up), kept current by `presence` events in between.
 */
export const usePresenceStore = defineStore('presence', () => {
  const online = ref<Record<string, true>>({});
  let generation = 0;
  /** Events that arrived while a load was under way: newer than its answer may be, so applied again after it. */
  let duringLoad: PresenceEvent[] | null = null;

  function applyPresence(e: PresenceEvent): void {
    duringLoad?.push(e);
    if (e.online) online.value[e.userId] = true;
    else delete online.value[e.userId];
  }

  /** The whole list, as the server answered it (replaces what was known). */
  function applyOnline(resp: PresenceResponse): void {
    online.value = Object.fromEntries(resp.online.map((id) => [id, true] as const));
  }

  function isOnline(userId: string | null | undefined): boolean {
    return !!userId && online.value[userId] === true;
  }

  async function load(): Promise<void> {
    const gen = ++generation;
    const events: PresenceEvent[] = [];
    duringLoad = events;
    try {
      const resp = await api.getPresence();
      if (gen !== generation) return;
      duringLoad = null;
      applyOnline(resp);
      for (const e of events) applyPresence(e);
    } finally {
      if (gen === generation) duringLoad = null;
    }
  }

  function reset(): void {
    generation++;
    duringLoad = null;
    online.value = {};
  }

  return { online, applyPresence, applyOnline, isOnline, load, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(usePresenceStore, import.meta.hot));

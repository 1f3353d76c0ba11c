import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConversationCounts, ConversationStatus } from '@inbox/shared';
import * as api from '../api/conversations';

/** How long after a socket event the sidebar figures are asked again (a burst of events makes one request). */
/** Every console re-asks after live events: at most every 2 s each, so a busy inbox costs the server little. */
export const COUNTS_REFRESH_MS = 2000;

type CountedStatus = Exclude<ConversationStatus, 'resolved'>;

/**
 * The sidebar figures from `GET /api/conversations/counts`. The server counts; the console only asks
 * again, debounced, after conversation and message events and after a resync. An answer older than
 * one already applied is dropped.
 */
export const useCountsStore = defineStore('counts', () => {
  const counts = ref<ConversationCounts | null>(null);
  let generation = 0;
  let applied = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function applyCounts(next: ConversationCounts): void {
    counts.value = next;
  }

  const byAccount = computed(() => new Map((counts.value?.accounts ?? []).map((a) => [a.accountId, a])));
  const byTeam = computed(() => new Map((counts.value?.teams ?? []).map((x) => [x.teamId, x.open])));
  const byLabel = computed(() => new Map((counts.value?.labels ?? []).map((x) => [x.labelId, x.open])));
  /** Conversations per status over every account (resolved ones are not counted). */
  const byStatus = computed<Record<CountedStatus, number>>(() => {
    const out = { open: 0, pending: 0, snoozed: 0 };
    for (const a of counts.value?.accounts ?? []) {
      out.open += a.open;
      out.pending += a.pending;
      out.snoozed += a.snoozed;
    }
    return out;
  });

  async function load(): Promise<void> {
    const gen = ++generation;
    const next = await api.getConversationCounts();
    if (gen < applied) return; // a later request already answered
    applied = gen;
    applyCounts(next);
  }

  /**
   * Asks again `delay` ms after the first call of a burst; later calls within it join that request,
   * so a busy inbox still refreshes once a second, never more often.
   */
  function scheduleRefresh(delay: number = COUNTS_REFRESH_MS): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      load().catch(() => undefined); // the next event or resync asks again
    }, delay);
  }

  function reset(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    generation++;
    applied = generation;
    counts.value = null;
  }

  return { counts, byAccount, byTeam, byLabel, byStatus, applyCounts, load, scheduleRefresh, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCountsStore, import.meta.hot));

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { ConversationCounts } from '@inbox/shared';
import * as api from '../api/conversations';
import { COUNTS_REFRESH_MS, useCountsStore } from './counts';

vi.mock('../api/conversations');

function figures(overrides: Partial<ConversationCounts> = {}): ConversationCounts {
  return {
    accounts: [
      { accountId: 'acc-1', open: 4, pending: 1, snoozed: 0, unread: 2 },
      { accountId: 'acc-2', open: 3, pending: 0, snoozed: 2, unread: 0 },
    ],
    mine: 2,
    unassigned: 5,
    all: 7,
    teams: [{ teamId: 't1', open: 3 }],
    labels: [{ labelId: 'l1', open: 1 }],
    ...overrides,
  };
}

describe('counts store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.getConversationCounts).mockReset();
  });

  afterEach(() => {
    useCountsStore().reset();
    vi.useRealTimers();
  });

  it('indexes the server figures by account, team and label, and sums the statuses', async () => {
    const store = useCountsStore();
    expect(store.counts).toBeNull();
    vi.mocked(api.getConversationCounts).mockResolvedValue(figures());
    await store.load();
    expect(store.byAccount.get('acc-1')).toMatchObject({ open: 4, unread: 2 });
    expect(store.byTeam.get('t1')).toBe(3);
    expect(store.byLabel.get('l1')).toBe(1);
    expect(store.byLabel.get('unknown')).toBeUndefined();
    expect(store.byStatus).toEqual({ open: 7, pending: 1, snoozed: 2 });
  });

  it('refreshes once, a second after the first of a burst of calls', async () => {
    vi.useFakeTimers();
    const store = useCountsStore();
    vi.mocked(api.getConversationCounts).mockResolvedValue(figures({ mine: 9 }));
    store.scheduleRefresh();
    await vi.advanceTimersByTimeAsync(COUNTS_REFRESH_MS / 2);
    store.scheduleRefresh();
    store.scheduleRefresh();
    expect(api.getConversationCounts).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(COUNTS_REFRESH_MS / 2);
    expect(api.getConversationCounts).toHaveBeenCalledTimes(1);
    expect(store.counts?.mine).toBe(9);
    await vi.advanceTimersByTimeAsync(COUNTS_REFRESH_MS * 3);
    expect(api.getConversationCounts).toHaveBeenCalledTimes(1);
  });

  it('keeps the newest answer when two requests answer out of order', async () => {
    const store = useCountsStore();
    let slow: (c: ConversationCounts) => void = () => undefined;
    vi.mocked(api.getConversationCounts)
      .mockReturnValueOnce(new Promise((resolve) => (slow = resolve)))
      .mockResolvedValueOnce(figures({ all: 2 }));
    const first = store.load();
    await store.load();
    slow(figures({ all: 1 }));
    await first;
    expect(store.counts?.all).toBe(2);
  });

  it('forgets the figures on reset, and a request made before it cannot bring them back', async () => {
    const store = useCountsStore();
    let slow: (c: ConversationCounts) => void = () => undefined;
    vi.mocked(api.getConversationCounts).mockReturnValueOnce(new Promise((resolve) => (slow = resolve)));
    const pending = store.load();
    store.reset();
    slow(figures());
    await pending;
    expect(store.counts).toBeNull();
  });
});

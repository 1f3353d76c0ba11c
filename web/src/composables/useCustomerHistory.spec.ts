import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick, ref } from 'vue';
import { flushPromises } from '@vue/test-utils';
import type { Conversation } from '@inbox/shared';
import { makeConversation } from '../test/factories';
import { jsonResponse } from '../test/fetch';
import { mergeHistory, useCustomerHistory } from './useCustomerHistory';

const customer = (contactId: string, id: string, lastMessageAt: string, over: Partial<Conversation> = {}) =>
  makeConversation({
    id,
    lastMessageAt,
    contact: { id: contactId, openid: `o-${contactId}`, subscribed: true },
    ...over,
  });

describe('customer history', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('merges the server history with live copies, newest first, without the active one or other customers', () => {
    const active = customer('k1', 'c3', '2026-11-25T10:00:00.000Z');
    const old = customer('k1', 'c1', '2026-10-01T10:00:00.000Z', { status: 'resolved' });
    const liveCopy = customer('k1', 'c2', '2026-11-20T10:00:00.000Z', { status: 'pending' });
    const stale = { ...liveCopy, status: 'open' as const };
    const stranger = customer('k2', 'c9', '2026-11-24T10:00:00.000Z');
    const merged = mergeHistory(active, [active, stale, old, stranger], { c2: liveCopy, c3: active, c9: stranger });
    expect(merged.map((c) => [c.id, c.status])).toEqual([
      ['c2', 'pending'],
      ['c1', 'resolved'],
    ]);
  });

  it('asks the server for the customer of the active conversation and drops an answer for a previous one', async () => {
    const first = customer('k1', 'a1', '2026-11-25T10:00:00.000Z');
    const second = customer('k2', 'b1', '2026-11-25T11:00:00.000Z');
    let release: (r: Response) => void = () => undefined;
    const slow = new Promise<Response>((r) => (release = r));
    const fetchMock = vi
      .fn()
      .mockReturnValueOnce(slow)
      .mockResolvedValueOnce(
        jsonResponse(200, { items: [second, customer('k2', 'b0', '2026-09-01T00:00:00.000Z')], nextCursor: null }),
      );
    vi.stubGlobal('fetch', fetchMock);
    const active = ref<Conversation | null>(first);
    const history = useCustomerHistory(active, ref({}));
    await nextTick();
    active.value = second;
    await flushPromises();
    release(jsonResponse(200, { items: [customer('k1', 'a0', '2026-08-01T00:00:00.000Z')], nextCursor: null }));
    await flushPromises();
    expect(String(fetchMock.mock.calls[0]?.[0])).toContain('contactId=k1');
    expect(String(fetchMock.mock.calls[1]?.[0])).toContain('contactId=k2');
    expect(history.value.map((c) => c.id)).toEqual(['b0']);
  });
});

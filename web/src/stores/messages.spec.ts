import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import * as api from '../api/conversations';
import { ApiError } from '../api/http';
import { makeMessage } from '../test/factories';
import { compareMessageIds, useMessagesStore } from './messages';

vi.mock('../api/conversations');

const C = 'conv-1';

describe('messages store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.listMessages).mockReset();
    vi.mocked(api.sendMessage).mockReset();
  });

  it('orders by numeric id (not as text), optimistic messages last', () => {
    expect(compareMessageIds('9', '10')).toBeLessThan(0);
    expect(compareMessageIds('100', '99')).toBeGreaterThan(0);
    expect(compareMessageIds('local:x', '99999999999')).toBeGreaterThan(0);
    const store = useMessagesStore();
    store.addOptimistic({ conversationId: C, accountId: 'a', text: 'draft', clientMessageId: 'cm1', senderId: 'u' });
    store.applyMessages([
      makeMessage({ id: '10', conversationId: C }),
      makeMessage({ id: '9', conversationId: C }),
      makeMessage({ id: '11', conversationId: C }),
    ]);
    expect(store.messagesOf(C).map((m) => m.id)).toEqual(['9', '10', '11', 'local:cm1']);
  });

  it('merges repeats by id', () => {
    const store = useMessagesStore();
    const m = makeMessage({ id: '1', conversationId: C, text: 'a' });
    store.applyMessage(m);
    store.applyMessage({ ...m, text: 'b' });
    expect(store.messagesOf(C)).toHaveLength(1);
    expect(store.messagesOf(C)[0]?.text).toBe('b');
  });

  it('replaces the optimistic copy by clientMessageId, whichever copy (socket or HTTP) comes first', () => {
    const store = useMessagesStore();
    store.addOptimistic({ conversationId: C, accountId: 'a', text: 'hi', clientMessageId: 'cm2', senderId: 'u' });
    const server = makeMessage({
      id: '40',
      conversationId: C,
      direction: 'out',
      status: 'queued',
      text: 'hi',
      clientMessageId: 'cm2',
    });
    store.applyMessage({ ...server, status: 'sent' }); // the socket's message.updated
    store.applyMessage(server); // the late POST answer
    expect(store.messagesOf(C).map((m) => [m.id, m.status])).toEqual([['40', 'sent']]);
    expect(store.has('local:cm2')).toBe(false);
  });

  it('never turns a delivery outcome back into an in-progress status', () => {
    const store = useMessagesStore();
    const m = makeMessage({ id: '41', conversationId: C, direction: 'out', status: 'failed', errorReason: 'quota' });
    store.applyMessage(m);
    store.applyMessage({ ...m, status: 'sending', errorReason: null });
    expect(store.messagesOf(C)[0]).toMatchObject({ status: 'failed', errorReason: 'quota' });
  });

  it('removes the optimistic copy when the server refuses the reply', async () => {
    const store = useMessagesStore();
    vi.mocked(api.sendMessage).mockRejectedValue(new ApiError(409, 'wechat/window_closed', 'closed'));
    await expect(store.send({ conversationId: C, accountId: 'a', text: 'late', senderId: 'u' })).rejects.toMatchObject({
      code: 'wechat/window_closed',
    });
    expect(store.messagesOf(C)).toEqual([]);
  });

  it('loads the newest page, then older pages by cursor', async () => {
    const store = useMessagesStore();
    vi.mocked(api.listMessages)
      .mockResolvedValueOnce({
        items: [makeMessage({ id: '52', conversationId: C }), makeMessage({ id: '51', conversationId: C })],
        nextCursor: '51',
      })
      .mockResolvedValueOnce({ items: [makeMessage({ id: '50', conversationId: C })], nextCursor: null });
    await store.loadLatest(C);
    expect(store.threads[C]).toMatchObject({ loaded: true, olderCursor: '51' });
    await store.loadOlder(C);
    expect(vi.mocked(api.listMessages).mock.calls[1]).toEqual([C, { cursor: '51', limit: 50 }]);
    expect(store.messagesOf(C).map((m) => m.id)).toEqual(['50', '51', '52']);
    expect(store.threads[C]?.olderCursor).toBeNull();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { SyncResponse } from '@inbox/shared';
import * as authApi from '../api/auth';
import * as api from '../api/conversations';
import { ApiError } from '../api/http';
import * as presenceApi from '../api/presence';
import { makeConversation, makeMessage } from '../test/factories';
import { useConversationsStore } from './conversations';
import { COUNTS_REFRESH_MS, useCountsStore } from './counts';
import { useMessagesStore } from './messages';
import { usePresenceStore } from './presence';
import { useTypingStore } from './typing';
import { backoffDelay, useRealtimeStore, type RealtimeEvents, type RealtimeSocket } from './realtime';

vi.mock('../api/conversations');
vi.mock('../api/auth');
vi.mock('../api/presence');

type Listener = (...args: unknown[]) => void;

/** A stand-in for the socket.io client (the browser boundary): the test fires its events. */
class FakeSocket implements RealtimeSocket {
  active = true;
  readonly listeners = new Map<string, Listener[]>();
  connect = vi.fn();
  disconnect = vi.fn();
  emitVolatile = vi.fn();

  on<E extends keyof RealtimeEvents>(event: E, listener: RealtimeEvents[E]): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as Listener]);
    return this;
  }

  fire<E extends keyof RealtimeEvents>(event: E, ...args: Parameters<RealtimeEvents[E]>): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

function syncResponse(cursor: string, rest: Partial<SyncResponse> = {}): SyncResponse {
  return { conversations: [], messages: [], cursor, ...rest };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('realtime store', () => {
  let socket: FakeSocket;

  beforeEach(() => {
    setActivePinia(createPinia());
    socket = new FakeSocket();
    vi.mocked(api.sync).mockReset();
    vi.mocked(api.getConversationCounts).mockReset();
    vi.mocked(authApi.me).mockReset();
    vi.mocked(presenceApi.getPresence).mockReset();
    vi.mocked(presenceApi.getPresence).mockResolvedValue({ online: [] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('resyncs on every (re)connect from the previous cursor and applies what changed', async () => {
    const realtime = useRealtimeStore();
    const conversations = useConversationsStore();
    const messages = useMessagesStore();
    conversations.filters = { sort: 'last_activity' };
    const c = makeConversation({ unreadCount: 1 });
    const m1 = makeMessage({ id: '100', conversationId: c.id, text: 'while you were away' });
    const m2 = makeMessage({ id: '101', conversationId: c.id, text: 'after the restart' });
    vi.mocked(api.sync)
      .mockResolvedValueOnce(syncResponse('10')) // init: the current cursor only
      .mockResolvedValueOnce(syncResponse('20', { conversations: [c], messages: [m1] }))
      .mockResolvedValueOnce(
        syncResponse('30', {
          conversations: [{ ...c, unreadCount: 2, updatedAt: '2025-01-01T11:00:00.000Z' }],
          messages: [m1, m2], // m1 again: rows may repeat
        }),
      );

    await realtime.init();
    expect(api.sync).toHaveBeenLastCalledWith();
    expect(realtime.cursor).toBe('10');

    realtime.start({ socketFactory: () => socket });
    expect(socket.connect).toHaveBeenCalledTimes(1);
    socket.fire('connect');
    expect(realtime.connected).toBe(true);
    await settle();
    expect(api.sync).toHaveBeenLastCalledWith('10');
    expect(realtime.cursor).toBe('20');
    expect(messages.messagesOf(c.id).map((m) => m.id)).toEqual(['100']);

    socket.fire('disconnect', 'transport close');
    expect(realtime.connected).toBe(false);
    expect(realtime.offline).toBe(true);

    socket.fire('connect');
    expect(realtime.offline).toBe(false);
    await settle();
    expect(api.sync).toHaveBeenLastCalledWith('20');
    expect(realtime.cursor).toBe('30');
    expect(messages.messagesOf(c.id).map((m) => m.id)).toEqual(['100', '101']);
    expect(conversations.list).toHaveLength(1);
    expect(conversations.byId[c.id]?.unreadCount).toBe(2);
  });

  it('serialises resyncs: a second connect waits and uses the cursor the first one returned', async () => {
    const realtime = useRealtimeStore();
    let release: (r: SyncResponse) => void = () => undefined;
    vi.mocked(api.sync)
      .mockReturnValueOnce(new Promise((resolve) => (release = resolve)))
      .mockResolvedValueOnce(syncResponse('3'));
    realtime.cursor = '1';
    realtime.start({ socketFactory: () => socket });
    socket.fire('connect');
    socket.fire('disconnect', 'transport close');
    socket.fire('connect');
    await settle();
    expect(api.sync).toHaveBeenCalledTimes(1);
    release(syncResponse('2'));
    await settle();
    expect(vi.mocked(api.sync).mock.calls).toEqual([['1'], ['2']]);
    expect(realtime.cursor).toBe('3');
  });

  it('asks for a cursor on connect when it has none yet (the first request failed)', async () => {
    const realtime = useRealtimeStore();
    vi.mocked(api.sync).mockResolvedValueOnce(syncResponse('77'));
    realtime.start({ socketFactory: () => socket });
    socket.fire('connect');
    await settle();
    expect(api.sync).toHaveBeenCalledWith();
    expect(realtime.cursor).toBe('77');
  });

  it('applies socket events only through the apply actions', () => {
    const realtime = useRealtimeStore();
    const conversations = useConversationsStore();
    const messages = useMessagesStore();
    conversations.filters = { sort: 'last_activity' };
    realtime.start({ socketFactory: () => socket });
    const c = makeConversation({ unreadCount: 1 });
    socket.fire('conversation.created', { conversation: c });
    socket.fire('message.created', { message: makeMessage({ id: '5', conversationId: c.id }) });
    socket.fire('message.created', { message: makeMessage({ id: '5', conversationId: c.id }) });
    socket.fire('conversation.updated', {
      conversation: { ...c, status: 'pending', unreadCount: 42, updatedAt: '2025-01-01T11:00:00.000Z' },
    });
    expect(conversations.byId[c.id]).toMatchObject({ status: 'pending', unreadCount: 1 });
    const out = makeMessage({ id: '6', conversationId: c.id, direction: 'out', status: 'queued' });
    socket.fire('message.created', { message: out });
    socket.fire('message.updated', { message: { ...out, status: 'sent' } });
    expect(messages.messagesOf(c.id).map((m) => [m.id, m.status])).toEqual([
      ['5', null],
      ['6', 'sent'],
    ]);
  });

  it('ends the session on session.revoked', () => {
    const realtime = useRealtimeStore();
    const onSessionEnded = vi.fn();
    realtime.start({ socketFactory: () => socket, onSessionEnded });
    socket.fire('session.revoked', { reason: 'session revoked' });
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    expect(socket.disconnect).toHaveBeenCalled();
  });

  it('ends the session when the handshake is refused and the session is gone', async () => {
    const realtime = useRealtimeStore();
    const onSessionEnded = vi.fn();
    vi.mocked(authApi.me).mockRejectedValue(new ApiError(401, 'auth/unauthenticated', 'no session'));
    realtime.start({ socketFactory: () => socket, onSessionEnded });
    socket.active = false; // socket.io does not retry a refused handshake by itself
    socket.fire('connect_error', new Error('auth/unauthenticated'));
    await settle();
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
  });

  it('reconnects with backoff itself after the server closed the connection', () => {
    vi.useFakeTimers();
    const realtime = useRealtimeStore();
    realtime.start({ socketFactory: () => socket });
    socket.fire('connect');
    socket.active = false; // "io server disconnect": socket.io will not retry
    socket.fire('disconnect', 'io server disconnect');
    expect(realtime.offline).toBe(true);
    expect(socket.connect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(backoffDelay(0, () => 1));
    expect(socket.connect).toHaveBeenCalledTimes(2);
  });

  it('tries again at once when the browser comes back online', () => {
    vi.useFakeTimers();
    const realtime = useRealtimeStore();
    realtime.start({ socketFactory: () => socket });
    socket.fire('connect_error', new Error('websocket error'));
    expect(socket.connect).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new Event('online'));
    expect(socket.disconnect).toHaveBeenCalledTimes(1);
    expect(socket.connect).toHaveBeenCalledTimes(2);
    realtime.stop();
    window.dispatchEvent(new Event('online'));
    expect(socket.connect).toHaveBeenCalledTimes(2);
  });

  it('hands typing and presence events to their stores, and reloads presence on every connect', async () => {
    const realtime = useRealtimeStore();
    const typing = useTypingStore();
    const presence = usePresenceStore();
    vi.mocked(api.sync).mockResolvedValue(syncResponse('1'));
    vi.mocked(presenceApi.getPresence)
      .mockResolvedValueOnce({ online: ['u-alice'] })
      .mockResolvedValueOnce({ online: ['u-bob'] });
    realtime.start({ socketFactory: () => socket });
    socket.fire('connect');
    await settle();
    expect(presence.isOnline('u-alice')).toBe(true);
    socket.fire('presence', { userId: 'u-carol', online: true });
    socket.fire('typing', { conversationId: 'c1', userId: 'u-alice', name: 'Alice', typing: true });
    expect(presence.isOnline('u-carol')).toBe(true);
    expect(typing.typersOf('c1')).toEqual(['Alice']);

    // Offline meanwhile, Alice and Carol left: the reconnect's list replaces what was known.
    socket.fire('disconnect', 'transport close');
    socket.fire('connect');
    await settle();
    expect(presenceApi.getPresence).toHaveBeenCalledTimes(2);
    expect(presence.isOnline('u-bob')).toBe(true);
    expect(presence.isOnline('u-alice')).toBe(false);
    expect(presence.isOnline('u-carol')).toBe(false);
    typing.reset();
  });

  it('asks for the sidebar counts once per burst of events, and after a resync', async () => {
    vi.useFakeTimers();
    const realtime = useRealtimeStore();
    const counts = useCountsStore();
    const figures = { accounts: [], mine: 1, unassigned: 2, all: 3, teams: [], labels: [] };
    vi.mocked(api.getConversationCounts).mockResolvedValue(figures);
    vi.mocked(api.sync).mockResolvedValue(syncResponse('5'));
    realtime.cursor = '4';
    realtime.start({ socketFactory: () => socket });
    socket.fire('connect');
    await settle(); // the resync asks for a refresh
    const c = makeConversation();
    socket.fire('conversation.created', { conversation: c });
    socket.fire('message.created', { message: makeMessage({ id: '9', conversationId: c.id }) });
    socket.fire('conversation.updated', { conversation: { ...c, updatedAt: '2025-01-01T11:00:00.000Z' } });
    expect(api.getConversationCounts).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(COUNTS_REFRESH_MS);
    expect(api.getConversationCounts).toHaveBeenCalledTimes(1);
    expect(counts.counts).toEqual(figures);

    socket.fire('message.created', { message: makeMessage({ id: '10', conversationId: c.id }) });
    await vi.advanceTimersByTimeAsync(COUNTS_REFRESH_MS);
    expect(api.getConversationCounts).toHaveBeenCalledTimes(2);
    realtime.stop();
    counts.reset();
  });

  it('sends typing hints as volatile emits, only while connected', () => {
    const realtime = useRealtimeStore();
    vi.mocked(api.sync).mockResolvedValue(syncResponse('1'));
    realtime.sendTyping('c1', true); // no socket yet
    realtime.start({ socketFactory: () => socket });
    realtime.sendTyping('c1', true); // not connected yet
    expect(socket.emitVolatile).not.toHaveBeenCalled();
    socket.fire('connect');
    realtime.sendTyping('c1', true);
    realtime.sendTyping('c1', false);
    expect(socket.emitVolatile.mock.calls).toEqual([
      ['typing', { conversationId: 'c1', typing: true }],
      ['typing', { conversationId: 'c1', typing: false }],
    ]);
  });

  it('backs off exponentially up to a cap', () => {
    const mid = () => 0.5; // no jitter
    expect(backoffDelay(0, mid)).toBe(500);
    expect(backoffDelay(1, mid)).toBe(1000);
    expect(backoffDelay(3, mid)).toBe(4000);
    expect(backoffDelay(20, mid)).toBe(15000);
  });
});

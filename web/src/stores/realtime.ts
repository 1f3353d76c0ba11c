import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@inbox/shared';
import * as authApi from '../api/auth';
import * as api from '../api/conversations';
import { ApiError } from '../api/http';
import { useConversationsStore } from './conversations';
import { useCountsStore } from './counts';
import { usePresenceStore } from './presence';
import { useTypingStore } from './typing';

/** The events the store listens to: the server's typed map plus socket.io's own connection events. */
export type RealtimeEvents = ServerToClientEvents & {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (error: Error) => void;
};

/** The part of a socket.io client socket the store uses (tests pass a fake: it is the browser boundary). */
export interface RealtimeSocket {
  on<E extends keyof RealtimeEvents>(event: E, listener: RealtimeEvents[E]): unknown;
  /** Sends a hint that may be dropped (typing): not buffered while disconnected. */
  emitVolatile<E extends keyof ClientToServerEvents>(event: E, ...args: Parameters<ClientToServerEvents[E]>): unknown;
  connect(): unknown;
  disconnect(): unknown;
  /** False once socket.io has given up reconnecting by itself (server kicked us, or the handshake was refused). */
  readonly active: boolean;
}

export type SocketFactory = () => RealtimeSocket;

/** socket.io's reconnect backoff: 0.5 s doubling to 15 s, ±50 % jitter. */
const RECONNECT = { reconnectionDelay: 500, reconnectionDelayMax: 15000, randomizationFactor: 0.5 };

/** The real socket: same origin, path /socket.io, websocket only, the session cookie authenticates. */
export const createSocket: SocketFactory = () => {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    path: '/socket.io',
    transports: ['websocket'],
    autoConnect: false,
    withCredentials: true,
    ...RECONNECT,
  });
  return {
    on: (event, listener) => socket.on(event as never, listener as never),
    emitVolatile: (event, ...args) => socket.volatile.emit(event, ...args),
    connect: () => socket.connect(),
    disconnect: () => socket.disconnect(),
    get active() {
      return socket.active;
    },
  };
};

/** The delay before the n-th (0-based) manual retry: exponential with jitter, capped. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RECONNECT.reconnectionDelayMax, RECONNECT.reconnectionDelay * 2 ** attempt);
  return Math.round(base * (1 - RECONNECT.randomizationFactor + random() * RECONNECT.randomizationFactor * 2));
}

export interface RealtimeOptions {
  socketFactory?: SocketFactory;
  /** Called when the session is gone (revoked, expired): the app returns to the login page. */
  onSessionEnded?: () => void;
}

/**
 * The socket.io connection. Events are hints applied through the conversations store's pure
 * `apply*` actions; the database is the truth: on every connect (the first one too) the store
 * asks `/api/sync` for what changed since its last cursor and applies it, so a reconnect misses
 * nothing and duplicates nothing (rows are merged by id).
 */
export const useRealtimeStore = defineStore('realtime', () => {
  const conversations = useConversationsStore();
  const counts = useCountsStore();
  const presence = usePresenceStore();
  const typing = useTypingStore();

  const connected = ref(false);
  /** True once a connection was lost or refused, until the next one: drives the offline banner. */
  const offline = ref(false);
  const syncing = ref(false);
  /** The `/api/sync` cursor: everything up to it has been applied. */
  const cursor = ref<string | null>(null);
  const lastSyncedAt = ref<string | null>(null);

  let socket: RealtimeSocket | null = null;
  let options: RealtimeOptions = {};
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryAttempt = 0;
  let syncTimer: ReturnType<typeof setTimeout> | null = null;
  let syncAttempt = 0;
  let chain: Promise<void> = Promise.resolve();
  let ended = false;

  function clearTimers(): void {
    if (retryTimer) clearTimeout(retryTimer);
    if (syncTimer) clearTimeout(syncTimer);
    retryTimer = null;
    syncTimer = null;
  }

  function sessionEnded(): void {
    if (ended) return;
    ended = true;
    stop();
    options.onSessionEnded?.();
  }

  /** Takes the current cursor before the first list load, so nothing between the load and the socket is missed. */
  async function init(): Promise<void> {
    if (cursor.value !== null) return;
    cursor.value = (await api.sync()).cursor;
  }

  async function runSync(): Promise<void> {
    syncing.value = true;
    try {
      if (cursor.value === null) {
        cursor.value = (await api.sync()).cursor;
      } else {
        const resp = await api.sync(cursor.value);
        conversations.applySync(resp);
        cursor.value = resp.cursor;
      }
      lastSyncedAt.value = new Date().toISOString();
      syncAttempt = 0;
      counts.scheduleRefresh();
    } catch (error) {
      if (error instanceof ApiError && error.statusCode === 401) {
        sessionEnded();
        return;
      }
      // The server may still be starting: try again while connected.
      if (connected.value && !syncTimer) {
        syncTimer = setTimeout(() => {
          syncTimer = null;
          if (connected.value) void resync();
        }, backoffDelay(syncAttempt++));
      }
    } finally {
      syncing.value = false;
    }
  }

  /** Catches up from the database; calls are serialised so each one uses the cursor the previous returned. */
  function resync(): Promise<void> {
    chain = chain.then(runSync, runSync);
    return chain;
  }

  function scheduleReconnect(): void {
    if (retryTimer || !socket) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      socket?.connect();
    }, backoffDelay(retryAttempt++));
  }

  /** The handshake was refused: is the session still valid? If so the server is just not ready. */
  async function checkSession(): Promise<void> {
    try {
      await authApi.me();
      scheduleReconnect();
    } catch (error) {
      if (error instanceof ApiError && error.statusCode === 401) sessionEnded();
      else scheduleReconnect();
    }
  }

  /** The network is back (the browser's `online` event): try at once instead of waiting out the backoff. */
  function reconnectNow(): void {
    const s = socket;
    if (!s || connected.value) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    retryAttempt = 0;
    // A socket that is not connected emits nothing on disconnect(); it only drops socket.io's pending retry.
    s.disconnect();
    s.connect();
  }

  function onOnline(): void {
    reconnectNow();
  }

  function start(opts: RealtimeOptions = {}): void {
    if (socket) return;
    options = opts;
    ended = false;
    const s = (opts.socketFactory ?? createSocket)();
    socket = s;

    s.on('connect', () => {
      if (socket !== s) return;
      connected.value = true;
      offline.value = false;
      retryAttempt = 0;
      void resync();
      // Who came and went while this socket was away.
      presence.load().catch(() => undefined);
    });
    s.on('disconnect', () => {
      if (socket !== s) return;
      connected.value = false;
      offline.value = true;
      // socket.io retries by itself after a network loss, not after the server closed the
      // connection (a restart, a revoked session): then the store retries with its own backoff.
      if (!s.active) scheduleReconnect();
    });
    s.on('connect_error', (error) => {
      if (socket !== s) return;
      connected.value = false;
      offline.value = true;
      if (!s.active) {
        if (error.message === 'auth/unauthenticated') void checkSession();
        else scheduleReconnect();
      }
    });
    s.on('message.created', (e) => {
      conversations.applyMessageCreated(e.message);
      counts.scheduleRefresh();
    });
    s.on('message.updated', (e) => {
      conversations.applyMessageUpdated(e.message);
    });
    s.on('conversation.created', (e) => {
      conversations.applyConversation(e.conversation);
      counts.scheduleRefresh();
    });
    s.on('conversation.updated', (e) => {
      conversations.applyConversation(e.conversation);
      counts.scheduleRefresh();
    });
    s.on('typing', (e) => {
      typing.applyTyping(e);
    });
    s.on('presence', (e) => {
      presence.applyPresence(e);
    });
    s.on('session.revoked', () => {
      sessionEnded();
    });
    globalThis.addEventListener?.('online', onOnline);
    s.connect();
  }

  function stop(): void {
    globalThis.removeEventListener?.('online', onOnline);
    clearTimers();
    const s = socket;
    socket = null;
    s?.disconnect();
    connected.value = false;
    offline.value = false;
  }

  /** Tells colleagues the signed-in user is (or stopped) typing in a conversation; dropped while offline. */
  function sendTyping(conversationId: string, isTyping: boolean): void {
    if (socket && connected.value) socket.emitVolatile('typing', { conversationId, typing: isTyping });
  }

  /** Signs out: forget the cursor too (the next user starts afresh). */
  function reset(): void {
    stop();
    cursor.value = null;
    lastSyncedAt.value = null;
    chain = Promise.resolve();
  }

  return {
    connected,
    offline,
    syncing,
    cursor,
    lastSyncedAt,
    init,
    start,
    stop,
    resync,
    reconnectNow,
    sendTyping,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useRealtimeStore, import.meta.hot));

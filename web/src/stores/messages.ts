import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { Message, MessageStatus, SendMessageRequest, SyncResponse, Upload } from '@inbox/shared';
import * as api from '../api/conversations';
import { newClientMessageId } from '../lib/ids';

/** Optimistic messages (not yet answered by the server) use `local:<clientMessageId>` as their id. */
export const LOCAL_ID_PREFIX = 'local:';
export const MESSAGE_PAGE_SIZE = 50;

export function isLocalId(id: string): boolean {
  return id.startsWith(LOCAL_ID_PREFIX);
}

/** Server ids are bigints as strings: compare by length, then digits. Local ids go after every server id. */
export function compareMessageIds(a: string, b: string): number {
  const la = isLocalId(a);
  const lb = isLocalId(b);
  if (la !== lb) return la ? 1 : -1;
  if (la) return 0; // both local: the caller keeps insertion order
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const FINAL: ReadonlySet<MessageStatus> = new Set(['sent', 'failed']);

function isFinal(status: MessageStatus | null | undefined): boolean {
  return status !== null && status !== undefined && FINAL.has(status);
}

/**
 * The newer of two copies of one message. Events and HTTP answers can arrive out of order
 * (the socket may report `sent` before the POST answers `queued`): a delivery outcome is never
 * replaced by an in-progress status.
 */
export function mergeMessage(existing: Message, incoming: Message): Message {
  if (isFinal(existing.status) && !isFinal(incoming.status)) {
    return {
      ...incoming,
      status: existing.status,
      errorCode: existing.errorCode ?? null,
      errorReason: existing.errorReason ?? null,
    };
  }
  return incoming;
}

/** What an image reply needs of its upload: the id to send, the URL to show it at once. */
export type ImageRef = Pick<Upload, 'id' | 'url'>;

export interface ThreadState {
  /** Message ids in thread order (oldest first). */
  ids: string[];
  /** Cursor for the next older page; null when the oldest message is loaded (or nothing was loaded). */
  olderCursor: string | null;
  /** True once the newest page has been fetched. */
  loaded: boolean;
  loading: boolean;
}

function emptyThread(): ThreadState {
  return { ids: [], olderCursor: null, loaded: false, loading: false };
}

export const useMessagesStore = defineStore('messages', () => {
  const byId = ref<Record<string, Message>>({});
  const threads = ref<Record<string, ThreadState>>({});

  function ensureThread(conversationId: string): ThreadState {
    let thread = threads.value[conversationId];
    if (!thread) {
      threads.value[conversationId] = emptyThread();
      thread = threads.value[conversationId] as ThreadState;
    }
    return thread;
  }

  function has(id: string): boolean {
    return byId.value[id] !== undefined;
  }

  /** The messages of a conversation, oldest first (optimistic ones last). */
  function messagesOf(conversationId: string): Message[] {
    const thread = threads.value[conversationId];
    if (!thread) return [];
    return thread.ids.flatMap((id) => {
      const m = byId.value[id];
      return m ? [m] : [];
    });
  }

  function removeId(conversationId: string, id: string): void {
    const thread = threads.value[conversationId];
    if (thread) thread.ids = thread.ids.filter((x) => x !== id);
    delete byId.value[id];
  }

  function insertId(thread: ThreadState, id: string): void {
    if (thread.ids.includes(id)) return;
    // Insert before the first id that sorts after it (stable for local ids: they go last, in arrival order).
    const at = thread.ids.findIndex((other) => compareMessageIds(id, other) < 0);
    if (at === -1) thread.ids.push(id);
    else thread.ids.splice(at, 0, id);
  }

  /**
   * Adds or updates one message (from an event, an HTTP answer or a sync): merged by id, never
   * duplicated, kept in id order; the optimistic copy with the same clientMessageId is replaced.
   */
  function applyMessage(m: Message): void {
    if (m.clientMessageId) {
      const localId = LOCAL_ID_PREFIX + m.clientMessageId;
      if (localId !== m.id && byId.value[localId]) removeId(byId.value[localId].conversationId, localId);
    }
    const existing = byId.value[m.id];
    byId.value[m.id] = existing ? mergeMessage(existing, m) : m;
    insertId(ensureThread(m.conversationId), m.id);
  }

  function applyMessages(list: readonly Message[]): void {
    for (const m of list) applyMessage(m);
  }

  function applySync(resp: SyncResponse): void {
    applyMessages(resp.messages);
  }

  /** Shows a reply at once, as `queued`, until the server's copy replaces it (an image shows its upload). */
  function addOptimistic(input: {
    conversationId: string;
    accountId: string;
    text?: string;
    upload?: ImageRef;
    clientMessageId: string;
    senderId: string | null;
  }): Message {
    const now = new Date().toISOString();
    const message: Message = {
      id: LOCAL_ID_PREFIX + input.clientMessageId,
      conversationId: input.conversationId,
      accountId: input.accountId,
      direction: 'out',
      type: input.upload ? 'image' : 'text',
      text: input.upload ? null : (input.text ?? ''),
      payload: input.upload ? { uploadId: input.upload.id, mediaUrl: input.upload.url } : {},
      clientMessageId: input.clientMessageId,
      status: 'queued',
      private: false,
      senderId: input.senderId,
      createdAt: now,
      sentAt: now,
    };
    byId.value[message.id] = message;
    insertId(ensureThread(message.conversationId), message.id);
    return message;
  }

  /** Fetches the newest page of a thread and merges it. */
  async function loadLatest(conversationId: string): Promise<void> {
    const thread = ensureThread(conversationId);
    if (thread.loading) return;
    thread.loading = true;
    try {
      const page = await api.listMessages(conversationId, { limit: MESSAGE_PAGE_SIZE });
      applyMessages(page.items);
      const current = ensureThread(conversationId);
      if (!current.loaded) current.olderCursor = page.nextCursor;
      current.loaded = true;
    } finally {
      ensureThread(conversationId).loading = false;
    }
  }

  /** Fetches the next older page, if there is one. */
  async function loadOlder(conversationId: string): Promise<void> {
    const thread = ensureThread(conversationId);
    if (thread.loading || !thread.olderCursor) return;
    thread.loading = true;
    try {
      const page = await api.listMessages(conversationId, { cursor: thread.olderCursor, limit: MESSAGE_PAGE_SIZE });
      applyMessages(page.items);
      ensureThread(conversationId).olderCursor = page.nextCursor;
    } finally {
      ensureThread(conversationId).loading = false;
    }
  }

  /**
   * Queues a text reply: the optimistic copy shows at once; the server's answer replaces it (by
   * clientMessageId). On an error the optimistic copy is removed and the ApiError is thrown.
   */
  async function send(input: {
    conversationId: string;
    accountId: string;
    text: string;
    senderId: string | null;
  }): Promise<Message> {
    const clientMessageId = newClientMessageId();
    const local = addOptimistic({ ...input, clientMessageId });
    return post(local, { type: 'text', text: input.text, clientMessageId });
  }

  /**
   * Sends an uploaded image, optimistically like text. A retry after a lost answer passes the
   * first attempt's `clientMessageId`, so the server stores the reply once.
   */
  async function sendImage(input: {
    conversationId: string;
    accountId: string;
    upload: ImageRef;
    senderId: string | null;
    clientMessageId?: string;
  }): Promise<Message> {
    const clientMessageId = input.clientMessageId ?? newClientMessageId();
    const local = addOptimistic({ ...input, clientMessageId });
    return post(local, { type: 'image', uploadId: input.upload.id, clientMessageId });
  }

  async function post(local: Message, body: SendMessageRequest): Promise<Message> {
    try {
      const message = await api.sendMessage(local.conversationId, body);
      applyMessage(message);
      return message;
    } catch (error) {
      if (byId.value[local.id]) removeId(local.conversationId, local.id);
      throw error;
    }
  }

  /** Adds a private note (never sent to WeChat). */
  async function addNote(conversationId: string, text: string): Promise<Message> {
    const message = await api.createNote(conversationId, { text });
    applyMessage(message);
    return message;
  }

  function reset(): void {
    byId.value = {};
    threads.value = {};
  }

  return {
    byId,
    threads,
    has,
    messagesOf,
    applyMessage,
    applyMessages,
    applySync,
    addOptimistic,
    loadLatest,
    loadOlder,
    send,
    sendImage,
    addNote,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useMessagesStore, import.meta.hot));

import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type {
  Conversation,
  ConversationListQuery,
  ConversationStatus,
  Message,
  MessagePreview,
  SyncResponse,
  Upload,
} from '@inbox/shared';
import * as api from '../api/conversations';
import { NO_TEAM, type ConversationFilters, type ListSort } from '../components/inbox/inbox-views';
import { useMessagesStore, type ImageRef } from './messages';

export const CONVERSATION_PAGE_SIZE = 30;

/** The list's sort key, as the server orders it. */
export function sortKey(c: Conversation, sort: ListSort): string {
  return sort === 'waiting' ? (c.lastCustomerMessageAt ?? c.lastMessageAt) : c.lastMessageAt;
}

interface SortPosition {
  key: string;
  id: string;
}

function position(c: Conversation, sort: ListSort): SortPosition {
  return { key: sortKey(c, sort), id: c.id };
}

/**
 * Negative when `a` comes first: latest activity first, or longest waiting first, ties by id
 * (the server's keyset order; ISO timestamps compare as strings).
 */
export function comparePositions(a: SortPosition, b: SortPosition, sort: ListSort): number {
  const byKey = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  const cmp = byKey !== 0 ? byKey : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return sort === 'waiting' ? cmp : -cmp;
}

export function compareConversations(a: Conversation, b: Conversation, sort: ListSort): number {
  return comparePositions(position(a, sort), position(b, sort), sort);
}

/** Whether a conversation belongs in the list of these filters (the server's filter, applied to live updates). */
export function matchesFilters(c: Conversation, f: ConversationFilters, myId: string | null): boolean {
  if (f.accountId !== undefined && c.accountId !== f.accountId) return false;
  if (f.status !== undefined && c.status !== f.status) return false;
  if (f.assignee === 'me' && (myId === null || c.assigneeId !== myId)) return false;
  if (f.assignee === 'none' && c.assigneeId !== null) return false;
  if (f.teamId !== undefined && c.teamId !== (f.teamId === NO_TEAM ? null : f.teamId)) return false;
  if (f.labelId !== undefined && !c.labelIds.includes(f.labelId)) return false;
  return true;
}

/**
 * A local approximation of the server's text search, for conversations that change live while a
 * search is shown: the customer's remark or OpenID, or the latest message, contains the text — the
 * fields the server searches (not the made-up display name of a customer without a remark).
 */
export function matchesSearch(c: Conversation, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return [c.contact.remark, c.contact.openid, c.lastMessage?.text].some(
    (value) => typeof value === 'string' && value.toLowerCase().includes(needle),
  );
}

/** What `GET /api/conversations` is asked for a page of these filters (the first page without a cursor). */
export function listQuery(f: ConversationFilters, cursor: string | null = null): ConversationListQuery {
  return {
    ...(f.accountId ? { accountId: f.accountId } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.assignee ? { assignee: f.assignee } : {}),
    ...(f.teamId ? { teamId: f.teamId } : {}),
    ...(f.labelId ? { labelId: f.labelId } : {}),
    ...(f.q?.trim() ? { q: f.q.trim() } : {}),
    sort: f.sort,
    ...(cursor ? { cursor } : {}),
    limit: CONVERSATION_PAGE_SIZE,
  };
}

function newerPreview(a: MessagePreview | null | undefined, b: MessagePreview | null): MessagePreview | null {
  if (!a) return b;
  if (!b) return a;
  return a.at > b.at ? a : b;
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

/** An inbound customer message seen for the first time (drives notifications). */
export interface Arrival {
  message: Message;
  /** Increases with every arrival, so a watcher sees two arrivals of one conversation. */
  seq: number;
}

/**
 * Conversations by id, the current list (filters + loaded pages), unread counts and the open
 * conversation. Socket events, HTTP answers and sync results all go through the pure `apply*`
 * actions, which merge by id and never duplicate. This store is also the one entry point for
 * message events: it forwards them to the messages store.
 */
export const useConversationsStore = defineStore('conversations', () => {
  const messages = useMessagesStore();

  const byId = ref<Record<string, Conversation>>({});
  const filters = ref<ConversationFilters>({ assignee: 'me', sort: 'last_activity' });
  /** The signed-in user, for the `assignee=me` filter. */
  const myId = ref<string | null>(null);
  /** The conversation open in the thread pane. */
  const activeId = ref<string | null>(null);
  /** The search box's text as typed; the list asks the server with it (debounced) as `filters.q`. */
  const search = ref('');
  /** The conversations the server returned for the current filters' search (`q` cannot be checked locally). */
  const searchHits = ref<Record<string, true>>({});
  const nextCursor = ref<string | null>(null);
  /** The last item of the pages loaded so far while more exist: the list shows nothing past it. */
  const boundary = ref<SortPosition | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<unknown>(null);
  const lastArrival = ref<Arrival | null>(null);

  let generation = 0;
  let arrivals = 0;
  /** Live unread messages of conversations not known yet (their conversation event comes later). */
  const pendingUnread = new Map<string, number>();

  /** The current view: every known conversation matching the filters, in server order, up to the loaded boundary. */
  const list = computed<Conversation[]>(() => {
    const f = filters.value;
    const edge = boundary.value;
    const q = f.q?.trim() ?? '';
    return Object.values(byId.value)
      .filter((c) => matchesFilters(c, f, myId.value))
      .filter((c) => !q || searchHits.value[c.id] === true || matchesSearch(c, q))
      .filter((c) => edge === null || comparePositions(position(c, f.sort), edge, f.sort) <= 0)
      .sort((a, b) => compareConversations(a, b, f.sort));
  });

  const hasMore = computed(() => nextCursor.value !== null);
  const active = computed<Conversation | null>(() => (activeId.value ? (byId.value[activeId.value] ?? null) : null));

  const unreadByAccount = computed<Record<string, number>>(() => {
    const out: Record<string, number> = {};
    for (const c of Object.values(byId.value)) out[c.accountId] = (out[c.accountId] ?? 0) + c.unreadCount;
    return out;
  });
  const totalUnread = computed(() => Object.values(byId.value).reduce((n, c) => n + c.unreadCount, 0));
  const unreadMine = computed(() =>
    Object.values(byId.value).reduce(
      (n, c) => (c.assigneeId !== null && c.assigneeId === myId.value ? n + c.unreadCount : n),
      0,
    ),
  );
  const unreadUnassigned = computed(() =>
    Object.values(byId.value).reduce((n, c) => (c.assigneeId === null ? n + c.unreadCount : n), 0),
  );

  /**
   * Merges a conversation. `authoritative` copies come from this user's own HTTP calls or
   * `/sync`, whose unreadCount is per user. Socket copies are not (they are computed for nobody
   * in particular), so their count is never used: a known conversation keeps the store's own
   * count, a new one starts from the live messages already counted for it (so the order of
   * `message.created` and `conversation.created` does not matter). An older snapshot (updatedAt)
   * than the one held is ignored.
   */
  function applyConversation(c: Conversation, opts: { authoritative?: boolean } = {}): void {
    const existing = byId.value[c.id];
    if (existing && c.updatedAt < existing.updatedAt) return;
    let unreadCount = c.unreadCount;
    if (!opts.authoritative) unreadCount = existing ? existing.unreadCount : (pendingUnread.get(c.id) ?? 0);
    pendingUnread.delete(c.id);
    byId.value[c.id] = {
      ...c,
      unreadCount,
      lastMessageAt: existing ? later(existing.lastMessageAt, c.lastMessageAt) : c.lastMessageAt,
      lastMessage: newerPreview(existing?.lastMessage, c.lastMessage),
    };
  }

  /**
   * A new message: stored in its thread; the conversation's preview and activity move; an
   * inbound customer message seen for the first time counts as unread unless its conversation
   * is open, and is recorded as the latest arrival. Returns whether it was such an arrival.
   */
  function applyMessageCreated(m: Message): boolean {
    const fresh = m.direction === 'in' && !m.private && !messages.has(m.id);
    messages.applyMessage(m);
    if (fresh) lastArrival.value = { message: m, seq: ++arrivals };
    const c = byId.value[m.conversationId];
    if (!c) {
      if (fresh && m.conversationId !== activeId.value) {
        pendingUnread.set(m.conversationId, (pendingUnread.get(m.conversationId) ?? 0) + 1);
      }
      return fresh;
    }
    const next: Conversation = { ...c };
    if (!m.private) {
      next.lastMessage = newerPreview(c.lastMessage, {
        type: m.type,
        text: m.text ?? null,
        direction: m.direction,
        at: m.sentAt,
      });
      next.lastMessageAt = later(c.lastMessageAt, m.sentAt);
    }
    if (fresh) {
      next.lastCustomerMessageAt = c.lastCustomerMessageAt ? later(c.lastCustomerMessageAt, m.sentAt) : m.sentAt;
      if (m.conversationId !== activeId.value) next.unreadCount = c.unreadCount + 1;
    }
    byId.value[c.id] = next;
    return fresh;
  }

  /** A delivery status change (queued -> sending -> sent / failed). */
  function applyMessageUpdated(m: Message): void {
    messages.applyMessage(m);
  }

  /**
   * The answer of `/sync` after a (re)connect: every row merged by id (rows may repeat), with
   * this user's own unread counts. Nothing here counts as a live arrival.
   */
  function applySync(resp: SyncResponse): void {
    for (const c of resp.conversations) applyConversation(c, { authoritative: true });
    messages.applySync(resp);
  }

  /** The conversation was read here: no unread left. */
  function applyRead(id: string): void {
    const c = byId.value[id];
    if (c && c.unreadCount !== 0) byId.value[id] = { ...c, unreadCount: 0 };
  }

  function setActive(id: string | null): void {
    activeId.value = id;
  }

  function setMe(id: string | null): void {
    myId.value = id;
  }

  async function load(reset: boolean): Promise<void> {
    if (reset) {
      generation++;
      searchHits.value = {};
      nextCursor.value = null;
      boundary.value = null;
      loaded.value = false;
      loading.value = false;
    } else if (loading.value || (loaded.value && nextCursor.value === null)) {
      return;
    }
    const gen = generation;
    const f = filters.value;
    loading.value = true;
    error.value = null;
    try {
      const page = await api.listConversations(listQuery(f, reset ? null : nextCursor.value));
      // An answer to an older query (the filters changed meanwhile) is dropped whole.
      if (gen !== generation) return;
      for (const c of page.items) applyConversation(c, { authoritative: true });
      if (f.q) for (const c of page.items) searchHits.value[c.id] = true;
      const last = page.items[page.items.length - 1];
      nextCursor.value = page.nextCursor;
      boundary.value = page.nextCursor && last ? position(last, f.sort) : null;
      loaded.value = true;
    } catch (e) {
      if (gen === generation) error.value = e;
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  /** Switches the list to new filters and loads their first page. */
  function setFilters(next: ConversationFilters): Promise<void> {
    filters.value = next;
    return load(true);
  }

  function reload(): Promise<void> {
    return load(true);
  }

  /** The next page (infinite scroll); does nothing while loading or when every page is loaded. */
  function loadMore(): Promise<void> {
    return load(false);
  }

  /** Fetches one conversation (e.g. opened from a link) and merges it. */
  async function fetchOne(id: string): Promise<Conversation> {
    const c = await api.getConversation(id);
    applyConversation(c, { authoritative: true });
    return c;
  }

  async function markRead(id: string): Promise<void> {
    applyRead(id);
    applyConversation(await api.markConversationRead(id), { authoritative: true });
  }

  async function setStatus(id: string, status: ConversationStatus, snoozedUntil?: string): Promise<void> {
    const c = await api.updateConversation(id, { status, ...(snoozedUntil ? { snoozedUntil } : {}) });
    applyConversation(c, { authoritative: true });
  }

  async function assign(id: string, userId: string | null, note?: string): Promise<void> {
    applyConversation(await api.assignConversation(id, { userId, ...(note ? { note } : {}) }), {
      authoritative: true,
    });
  }

  /** Routes the conversation to a team (or none). */
  async function setTeam(id: string, teamId: string | null): Promise<void> {
    applyConversation(await api.setConversationTeam(id, teamId), { authoritative: true });
  }

  /** Replaces the conversation's labels. */
  async function setLabels(id: string, labelIds: string[]): Promise<void> {
    applyConversation(await api.setConversationLabels(id, labelIds), { authoritative: true });
  }

  /** Queues a reply through the conversation's own account (optimistic, then the server's copy). */
  async function sendReply(conversation: Conversation, text: string): Promise<Message> {
    const m = await messages.send({
      conversationId: conversation.id,
      accountId: conversation.accountId,
      text,
      senderId: myId.value,
    });
    applyMessageCreated(m);
    return m;
  }

  /** Uploads an image to reply with in this conversation (checked by the server: png/jpeg/gif, at most 2 MB). */
  function uploadImage(conversationId: string, file: File): Promise<Upload> {
    return api.uploadImage(conversationId, file);
  }

  /**
   * Sends an uploaded image through the conversation's account (optimistic like text). Pass the
   * same `clientMessageId` to retry a send whose answer was lost: the server stores it once.
   */
  async function sendImage(conversation: Conversation, upload: ImageRef, clientMessageId?: string): Promise<Message> {
    const m = await messages.sendImage({
      conversationId: conversation.id,
      accountId: conversation.accountId,
      upload,
      senderId: myId.value,
      ...(clientMessageId ? { clientMessageId } : {}),
    });
    applyMessageCreated(m);
    return m;
  }

  async function addNote(conversationId: string, text: string): Promise<Message> {
    const m = await messages.addNote(conversationId, text);
    applyMessageCreated(m);
    return m;
  }

  function reset(): void {
    generation++;
    byId.value = {};
    activeId.value = null;
    search.value = '';
    searchHits.value = {};
    nextCursor.value = null;
    boundary.value = null;
    loading.value = false;
    loaded.value = false;
    error.value = null;
    lastArrival.value = null;
    pendingUnread.clear();
    messages.reset();
  }

  return {
    byId,
    filters,
    myId,
    activeId,
    search,
    searchHits,
    nextCursor,
    boundary,
    loading,
    loaded,
    error,
    lastArrival,
    list,
    hasMore,
    active,
    unreadByAccount,
    totalUnread,
    unreadMine,
    unreadUnassigned,
    applyConversation,
    applyMessageCreated,
    applyMessageUpdated,
    applySync,
    applyRead,
    setActive,
    setMe,
    setFilters,
    reload,
    loadMore,
    fetchOne,
    markRead,
    setStatus,
    assign,
    setTeam,
    setLabels,
    sendReply,
    uploadImage,
    sendImage,
    addNote,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useConversationsStore, import.meta.hot));

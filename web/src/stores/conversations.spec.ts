import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import * as api from '../api/conversations';
import { makeConversation, makeMessage } from '../test/factories';
import {
  CONVERSATION_PAGE_SIZE,
  compareConversations,
  listQuery,
  matchesFilters,
  matchesSearch,
  useConversationsStore,
} from './conversations';
import { useMessagesStore } from './messages';

vi.mock('../api/conversations');

const ME = 'user-me';

function setup() {
  const store = useConversationsStore();
  store.setMe(ME);
  store.filters = { sort: 'last_activity' }; // the "All" view
  return { store, messages: useMessagesStore() };
}

describe('conversations store: apply actions', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.listConversations).mockReset();
    vi.mocked(api.markConversationRead).mockReset();
    vi.mocked(api.sendMessage).mockReset();
  });

  describe('applyConversation', () => {
    it('adds a conversation once and merges later copies by id', () => {
      const { store } = setup();
      const c = makeConversation();
      store.applyConversation(c);
      store.applyConversation({ ...c, status: 'pending', updatedAt: '2025-01-01T11:00:00.000Z' });
      store.applyConversation({ ...c, status: 'pending', updatedAt: '2025-01-01T11:00:00.000Z' });
      expect(store.list).toHaveLength(1);
      expect(store.byId[c.id]?.status).toBe('pending');
    });

    it('ignores a snapshot older than the one it holds (events can arrive out of order)', () => {
      const { store } = setup();
      const c = makeConversation({ status: 'resolved', updatedAt: '2025-01-01T12:00:00.000Z' });
      store.applyConversation(c);
      store.applyConversation({ ...c, status: 'open', updatedAt: '2025-01-01T11:00:00.000Z' });
      expect(store.byId[c.id]?.status).toBe('resolved');
    });

    it('keeps its own unread count for socket copies, takes the server count for authoritative ones', () => {
      const { store } = setup();
      const c = makeConversation({ unreadCount: 2 });
      store.applyConversation(c, { authoritative: true });
      // The socket's copy is computed for nobody in particular: its count is not this user's.
      store.applyConversation({ ...c, unreadCount: 9, updatedAt: '2025-01-01T11:00:00.000Z' });
      expect(store.byId[c.id]?.unreadCount).toBe(2);
      store.applyConversation({ ...c, unreadCount: 0, updatedAt: '2025-01-01T11:00:00.000Z' }, { authoritative: true });
      expect(store.byId[c.id]?.unreadCount).toBe(0);
    });

    it('never takes the unread count of a socket copy, even for a conversation it did not know', () => {
      const { store } = setup();
      const c = makeConversation({ unreadCount: 7 }); // counted for nobody: every inbound message
      store.applyConversation(c);
      expect(store.byId[c.id]?.unreadCount).toBe(0);
      expect(store.totalUnread).toBe(0);
    });

    it('orders the list by latest activity, and by longest waiting when asked', () => {
      const { store } = setup();
      const older = makeConversation({
        lastMessageAt: '2025-01-01T08:00:00.000Z',
        lastCustomerMessageAt: '2025-01-01T08:00:00.000Z',
      });
      const newer = makeConversation({
        lastMessageAt: '2025-01-01T09:00:00.000Z',
        lastCustomerMessageAt: '2025-01-01T07:00:00.000Z',
      });
      store.applyConversation(older);
      store.applyConversation(newer);
      expect(store.list.map((c) => c.id)).toEqual([newer.id, older.id]);
      store.filters = { sort: 'waiting' };
      expect(store.list.map((c) => c.id)).toEqual([newer.id, older.id]); // waiting since 07:00 comes first
      expect(compareConversations(older, newer, 'waiting')).toBeGreaterThan(0);
    });

    it('shows only conversations matching the view filters', () => {
      const { store } = setup();
      const mine = makeConversation({ assigneeId: ME });
      const theirs = makeConversation({ assigneeId: 'someone-else', accountId: 'acc-2' });
      const nobody = makeConversation({ assigneeId: null, status: 'resolved' });
      for (const c of [mine, theirs, nobody]) store.applyConversation(c);
      store.filters = { assignee: 'me', sort: 'last_activity' };
      expect(store.list.map((c) => c.id)).toEqual([mine.id]);
      store.filters = { assignee: 'none', sort: 'last_activity' };
      expect(store.list.map((c) => c.id)).toEqual([nobody.id]);
      store.filters = { accountId: 'acc-2', sort: 'last_activity' };
      expect(store.list.map((c) => c.id)).toEqual([theirs.id]);
      expect(matchesFilters(nobody, { status: 'resolved', sort: 'last_activity' }, ME)).toBe(true);
      expect(matchesFilters(mine, { status: 'resolved', sort: 'last_activity' }, ME)).toBe(false);
    });

    it('filters live updates by team (or none) and by label, as the server does', () => {
      const { store } = setup();
      const sales = makeConversation({ teamId: 'team-sales', labelIds: ['vip', 'refund'] });
      const noTeam = makeConversation({ teamId: null, labelIds: [] });
      for (const c of [sales, noTeam]) store.applyConversation(c);
      store.filters = { teamId: 'team-sales', sort: 'last_activity' };
      expect(store.list.map((c) => c.id)).toEqual([sales.id]);
      store.filters = { teamId: 'none', sort: 'last_activity' };
      expect(store.list.map((c) => c.id)).toEqual([noTeam.id]);
      store.filters = { labelId: 'refund', sort: 'last_activity' };
      expect(store.list.map((c) => c.id)).toEqual([sales.id]);
      expect(matchesFilters(sales, { labelId: 'other', sort: 'last_activity' }, ME)).toBe(false);
      // A label taken off (a conversation.updated event) leaves the filtered list at once.
      store.applyConversation({ ...sales, labelIds: ['vip'], updatedAt: '2025-01-01T11:00:00.000Z' });
      expect(store.list).toEqual([]);
    });

    it('matches a search locally on the remark, OpenID or latest message, as the server does (for live updates)', () => {
      const c = makeConversation({
        contact: { id: 'k1', openid: 'oABC123', name: 'Customer ·ABC123', remark: 'VIP 王 Wang', subscribed: true },
        lastMessage: { type: 'text', text: 'Where is my parcel?', direction: 'in', at: '2025-01-01T10:00:00.000Z' },
      });
      expect(matchesSearch(c, 'abc1')).toBe(true);
      expect(matchesSearch(c, 'wang')).toBe(true);
      expect(matchesSearch(c, '王')).toBe(true);
      expect(matchesSearch(c, 'PARCEL')).toBe(true);
      expect(matchesSearch(c, 'refund')).toBe(false);
      expect(matchesSearch(c, 'customer')).toBe(false); // the made-up display name is not searched
      expect(matchesSearch(c, '  ')).toBe(true);
    });
  });

  describe('applyMessageCreated', () => {
    it('counts a new inbound message as unread once, however often the event comes', () => {
      const { store, messages } = setup();
      const c = makeConversation();
      store.applyConversation(c);
      const m = makeMessage({ id: '10', conversationId: c.id, text: 'hello' });
      expect(store.applyMessageCreated(m)).toBe(true);
      expect(store.applyMessageCreated(m)).toBe(false);
      expect(store.byId[c.id]?.unreadCount).toBe(1);
      expect(messages.messagesOf(c.id).map((x) => x.id)).toEqual(['10']);
      expect(store.lastArrival?.message.id).toBe('10');
    });

    it('does not count messages of the open conversation, outgoing messages or notes', () => {
      const { store } = setup();
      const open = makeConversation();
      const other = makeConversation();
      store.applyConversation(open);
      store.applyConversation(other);
      store.setActive(open.id);
      store.applyMessageCreated(makeMessage({ id: '1', conversationId: open.id }));
      store.applyMessageCreated(makeMessage({ id: '2', conversationId: other.id, direction: 'out', status: 'queued' }));
      store.applyMessageCreated(
        makeMessage({ id: '3', conversationId: other.id, direction: 'out', type: 'note', private: true }),
      );
      expect(store.byId[open.id]?.unreadCount).toBe(0);
      expect(store.byId[other.id]?.unreadCount).toBe(0);
      expect(store.totalUnread).toBe(0);
    });

    it('moves the conversation to the top with the new preview', () => {
      const { store } = setup();
      const a = makeConversation({ lastMessageAt: '2025-01-01T09:00:00.000Z' });
      const b = makeConversation({ lastMessageAt: '2025-01-01T08:00:00.000Z' });
      store.applyConversation(a);
      store.applyConversation(b);
      expect(store.list[0]?.id).toBe(a.id);
      store.applyMessageCreated(
        makeMessage({ id: '7', conversationId: b.id, text: 'new!', sentAt: '2025-01-01T10:00:00.000Z' }),
      );
      expect(store.list.map((c) => c.id)).toEqual([b.id, a.id]);
      expect(store.byId[b.id]?.lastMessage).toEqual({
        type: 'text',
        text: 'new!',
        direction: 'in',
        at: '2025-01-01T10:00:00.000Z',
      });
    });

    it('counts a new conversation’s first message once, whichever of its two events comes first', () => {
      const { store, messages } = setup();
      // message.created, then conversation.created
      const a = makeConversation({ unreadCount: 1 });
      store.applyMessageCreated(makeMessage({ id: '5', conversationId: a.id }));
      expect(store.byId[a.id]).toBeUndefined();
      expect(messages.messagesOf(a.id)).toHaveLength(1);
      store.applyConversation(a);
      expect(store.byId[a.id]?.unreadCount).toBe(1);
      // conversation.created, then message.created
      const b = makeConversation({ unreadCount: 1 });
      store.applyConversation(b);
      store.applyMessageCreated(makeMessage({ id: '6', conversationId: b.id }));
      expect(store.byId[b.id]?.unreadCount).toBe(1);
      expect(store.totalUnread).toBe(2);
    });

    it('does not count a message already loaded in the thread', () => {
      const { store, messages } = setup();
      const c = makeConversation();
      store.applyConversation(c);
      messages.applyMessages([makeMessage({ id: '4', conversationId: c.id })]); // loaded by GET /messages
      expect(store.applyMessageCreated(makeMessage({ id: '4', conversationId: c.id }))).toBe(false);
      expect(store.byId[c.id]?.unreadCount).toBe(0);
    });
  });

  describe('applyMessageUpdated', () => {
    it('updates the delivery status in place', () => {
      const { store, messages } = setup();
      const c = makeConversation();
      store.applyConversation(c);
      const queued = makeMessage({ id: '8', conversationId: c.id, direction: 'out', status: 'queued' });
      store.applyMessageCreated(queued);
      store.applyMessageUpdated({ ...queued, status: 'failed', errorCode: '45015', errorReason: 'window closed' });
      const thread = messages.messagesOf(c.id);
      expect(thread).toHaveLength(1);
      expect(thread[0]).toMatchObject({ status: 'failed', errorReason: 'window closed' });
      expect(store.byId[c.id]?.unreadCount).toBe(0);
    });
  });

  describe('applySync', () => {
    it('merges repeated rows by id, takes this user’s unread counts and raises no alert', () => {
      const { store, messages } = setup();
      const known = makeConversation({ unreadCount: 0 });
      store.applyConversation(known);
      store.applyMessageCreated(
        makeMessage({ id: '20', conversationId: known.id, direction: 'out', status: 'queued' }),
      );
      const fresh = makeConversation({ unreadCount: 2, lastMessageAt: '2025-01-01T12:00:00.000Z' });
      const m20 = makeMessage({ id: '20', conversationId: known.id, direction: 'out', status: 'sent' });
      const m21 = makeMessage({ id: '21', conversationId: fresh.id });
      const m22 = makeMessage({ id: '22', conversationId: fresh.id });
      store.applySync({
        conversations: [
          { ...known, unreadCount: 1, updatedAt: '2025-01-01T12:00:00.000Z' },
          fresh,
          fresh, // rows may repeat
        ],
        messages: [m20, m22, m21, m21],
        cursor: '200',
      });
      expect(store.list.map((c) => c.id)).toEqual([fresh.id, known.id]);
      expect(store.byId[known.id]?.unreadCount).toBe(1);
      expect(store.byId[fresh.id]?.unreadCount).toBe(2);
      expect(messages.messagesOf(known.id).map((m) => [m.id, m.status])).toEqual([['20', 'sent']]);
      expect(messages.messagesOf(fresh.id).map((m) => m.id)).toEqual(['21', '22']);
      expect(store.lastArrival).toBeNull();
      // The same message coming late over the socket is not new any more.
      expect(store.applyMessageCreated(m21)).toBe(false);
      expect(store.byId[fresh.id]?.unreadCount).toBe(2);
    });
  });

  describe('applyRead and markRead', () => {
    it('resets the unread count at once and takes the server answer', async () => {
      const { store } = setup();
      const c = makeConversation({ unreadCount: 3 });
      store.applyConversation(c, { authoritative: true });
      vi.mocked(api.markConversationRead).mockResolvedValue({ ...c, unreadCount: 0 });
      const pending = store.markRead(c.id);
      expect(store.byId[c.id]?.unreadCount).toBe(0);
      await pending;
      expect(api.markConversationRead).toHaveBeenCalledWith(c.id);
      expect(store.byId[c.id]?.unreadCount).toBe(0);
    });
  });

  describe('paging', () => {
    it('shows nothing past the last loaded item until the next page is loaded by cursor', async () => {
      const { store } = setup();
      const first = makeConversation({ lastMessageAt: '2025-01-01T10:00:00.000Z' });
      const second = makeConversation({ lastMessageAt: '2025-01-01T09:00:00.000Z' });
      const third = makeConversation({ lastMessageAt: '2025-01-01T08:00:00.000Z' });
      vi.mocked(api.listConversations)
        .mockResolvedValueOnce({ items: [first, second], nextCursor: 'c2' })
        .mockResolvedValueOnce({ items: [third], nextCursor: null });
      await store.setFilters({ sort: 'last_activity' });
      // A live event about an older conversation must not appear between pages.
      store.applyConversation(third);
      expect(store.list.map((c) => c.id)).toEqual([first.id, second.id]);
      expect(store.hasMore).toBe(true);
      await store.loadMore();
      expect(vi.mocked(api.listConversations).mock.calls[1]?.[0]).toMatchObject({ cursor: 'c2' });
      expect(store.list.map((c) => c.id)).toEqual([first.id, second.id, third.id]);
      expect(store.hasMore).toBe(false);
      await store.loadMore(); // nothing more to load
      expect(api.listConversations).toHaveBeenCalledTimes(2);
    });

    it('drops the answer of a view the agent has already left', async () => {
      const { store } = setup();
      const stale = makeConversation({ assigneeId: ME });
      const current = makeConversation({ assigneeId: null });
      let resolveStale: (v: { items: (typeof stale)[]; nextCursor: null }) => void = () => undefined;
      vi.mocked(api.listConversations)
        .mockReturnValueOnce(new Promise((resolve) => (resolveStale = resolve)))
        .mockResolvedValueOnce({ items: [current], nextCursor: null });
      const first = store.setFilters({ assignee: 'me', sort: 'last_activity' });
      await store.setFilters({ assignee: 'none', sort: 'last_activity' });
      resolveStale({ items: [stale], nextCursor: null });
      await first;
      expect(store.byId[stale.id]).toBeUndefined();
      expect(store.list.map((c) => c.id)).toEqual([current.id]);
      expect(store.loading).toBe(false);
    });
  });

  describe('sendReply', () => {
    it('shows the reply at once and replaces it with the server copy, once', async () => {
      const { store, messages } = setup();
      const c = makeConversation();
      store.applyConversation(c);
      vi.mocked(api.sendMessage).mockImplementation(async (_id, body) => {
        // While the POST is in flight the optimistic copy is visible, queued.
        expect(messages.messagesOf(c.id).map((m) => [m.id, m.status])).toEqual([
          [`local:${body.clientMessageId}`, 'queued'],
        ]);
        return makeMessage({
          id: '30',
          conversationId: c.id,
          direction: 'out',
          status: 'queued',
          text: body.type === 'text' ? body.text : null,
          clientMessageId: body.clientMessageId,
        });
      });
      await store.sendReply(c, 'On its way');
      expect(api.sendMessage).toHaveBeenCalledWith(c.id, {
        type: 'text',
        text: 'On its way',
        clientMessageId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(messages.messagesOf(c.id).map((m) => m.id)).toEqual(['30']);
      expect(store.byId[c.id]?.lastMessage?.text).toBe('On its way');
    });
  });

  describe('filters in the list query', () => {
    it('asks the server for exactly the filters set, a trimmed search, and the cursor for later pages', () => {
      expect(listQuery({ sort: 'last_activity' })).toEqual({ sort: 'last_activity', limit: CONVERSATION_PAGE_SIZE });
      expect(
        listQuery(
          { accountId: 'acc-2', assignee: 'me', teamId: 'none', labelId: 'vip', q: '  parcel ', sort: 'waiting' },
          'cur-9',
        ),
      ).toEqual({
        accountId: 'acc-2',
        assignee: 'me',
        teamId: 'none',
        labelId: 'vip',
        q: 'parcel',
        sort: 'waiting',
        cursor: 'cur-9',
        limit: CONVERSATION_PAGE_SIZE,
      });
      expect(listQuery({ q: '   ', sort: 'last_activity' })).not.toHaveProperty('q');
    });

    it('sends team, label and search with every page, keyset paging included', async () => {
      const { store } = setup();
      const a = makeConversation({ labelIds: ['vip'], lastMessageAt: '2025-01-01T10:00:00.000Z' });
      const b = makeConversation({ labelIds: ['vip'], lastMessageAt: '2025-01-01T09:00:00.000Z' });
      vi.mocked(api.listConversations)
        .mockResolvedValueOnce({ items: [a], nextCursor: 'c1' })
        .mockResolvedValueOnce({ items: [b], nextCursor: null });
      await store.setFilters({ labelId: 'vip', teamId: 't1', q: 'refund', sort: 'last_activity' });
      await store.loadMore();
      const calls = vi.mocked(api.listConversations).mock.calls.map((call) => call[0]);
      expect(calls[0]).toEqual({ labelId: 'vip', teamId: 't1', q: 'refund', sort: 'last_activity', limit: 30 });
      expect(calls[1]).toEqual({ ...calls[0], cursor: 'c1' });
    });

    it('shows what the server found for a search, not conversations loaded by an earlier query', async () => {
      const { store } = setup();
      // Loaded for the "All" view: none of these mention a refund anywhere the console can see.
      const earlier = makeConversation({ lastMessageAt: '2025-01-01T11:00:00.000Z' });
      const found = makeConversation({ lastMessageAt: '2025-01-01T10:00:00.000Z' }); // an older message matched
      vi.mocked(api.listConversations)
        .mockResolvedValueOnce({ items: [earlier, found], nextCursor: null })
        .mockResolvedValueOnce({ items: [found], nextCursor: null });
      await store.setFilters({ sort: 'last_activity' });
      expect(store.list).toHaveLength(2);
      await store.setFilters({ q: 'refund', sort: 'last_activity' });
      expect(store.list.map((c) => c.id)).toEqual([found.id]);

      // A live message with the text brings its conversation in; others stay out.
      store.applyMessageCreated(makeMessage({ id: '77', conversationId: earlier.id, text: 'I want a REFUND' }));
      expect(store.list.map((c) => c.id)).toEqual([earlier.id, found.id]);

      // Clearing the search shows the view again, from a fresh first page.
      vi.mocked(api.listConversations).mockResolvedValueOnce({ items: [earlier, found], nextCursor: null });
      await store.setFilters({ sort: 'last_activity' });
      expect(store.searchHits).toEqual({});
      expect(store.list).toHaveLength(2);
    });

    it('drops a page of an older search that answers after a newer one', async () => {
      const { store } = setup();
      const forOld = makeConversation();
      const forNew = makeConversation();
      let answerOld: (v: { items: (typeof forOld)[]; nextCursor: string | null }) => void = () => undefined;
      vi.mocked(api.listConversations)
        .mockReturnValueOnce(new Promise((resolve) => (answerOld = resolve)))
        .mockResolvedValueOnce({ items: [forNew], nextCursor: null });
      const old = store.setFilters({ q: 'ref', sort: 'last_activity' });
      await store.setFilters({ q: 'refund', sort: 'last_activity' });
      answerOld({ items: [forOld], nextCursor: 'stale-cursor' });
      await old;
      expect(store.byId[forOld.id]).toBeUndefined();
      expect(store.list.map((c) => c.id)).toEqual([forNew.id]);
      expect(store.nextCursor).toBeNull(); // the stale page's cursor was not taken either
      expect(store.hasMore).toBe(false);
    });

    it('drops a next page that answers after the filters changed', async () => {
      const { store } = setup();
      const first = makeConversation({ labelIds: ['vip'] });
      const stalePage = makeConversation({ labelIds: ['vip'], lastMessageAt: '2025-01-01T08:00:00.000Z' });
      const other = makeConversation({ teamId: 't2' });
      let answerMore: (v: { items: (typeof first)[]; nextCursor: string | null }) => void = () => undefined;
      vi.mocked(api.listConversations)
        .mockResolvedValueOnce({ items: [first], nextCursor: 'c1' })
        .mockReturnValueOnce(new Promise((resolve) => (answerMore = resolve)))
        .mockResolvedValueOnce({ items: [other], nextCursor: null });
      await store.setFilters({ labelId: 'vip', sort: 'last_activity' });
      const more = store.loadMore();
      await store.setFilters({ teamId: 't2', sort: 'last_activity' });
      answerMore({ items: [stalePage], nextCursor: null });
      await more;
      expect(store.byId[stalePage.id]).toBeUndefined();
      expect(store.list.map((c) => c.id)).toEqual([other.id]);
    });
  });

  describe('labels and team', () => {
    it('saves the label set and the team and takes the server copy', async () => {
      const { store } = setup();
      const c = makeConversation();
      store.applyConversation(c, { authoritative: true });
      const later = '2025-01-01T11:00:00.000Z';
      vi.mocked(api.setConversationLabels).mockResolvedValue({ ...c, labelIds: ['vip'], updatedAt: later });
      vi.mocked(api.setConversationTeam).mockResolvedValue({
        ...c,
        labelIds: ['vip'],
        teamId: 't1',
        updatedAt: '2025-01-01T11:00:01.000Z',
      });
      await store.setLabels(c.id, ['vip']);
      expect(api.setConversationLabels).toHaveBeenCalledWith(c.id, ['vip']);
      expect(store.byId[c.id]?.labelIds).toEqual(['vip']);
      await store.setTeam(c.id, 't1');
      expect(api.setConversationTeam).toHaveBeenCalledWith(c.id, 't1');
      expect(store.byId[c.id]).toMatchObject({ teamId: 't1', labelIds: ['vip'] });
    });
  });

  describe('sendImage', () => {
    it('shows the image at once and sends the upload with the client message id it was given', async () => {
      const { store, messages } = setup();
      const c = makeConversation();
      store.applyConversation(c);
      const upload = {
        id: 'up-1',
        accountId: c.accountId,
        kind: 'image' as const,
        fileName: 'a.png',
        contentType: 'image/png',
        size: 10,
        url: '/api/uploads/up-1',
        createdAt: '2025-01-01T10:00:00.000Z',
      };
      vi.mocked(api.sendMessage).mockImplementation(async (_id, body) => {
        expect(messages.messagesOf(c.id)).toEqual([
          expect.objectContaining({
            id: 'local:cm-1',
            type: 'image',
            status: 'queued',
            payload: expect.objectContaining({ mediaUrl: upload.url }),
          }),
        ]);
        return makeMessage({
          id: '31',
          conversationId: c.id,
          direction: 'out',
          type: 'image',
          text: null,
          status: 'queued',
          payload: { uploadId: upload.id },
          clientMessageId: body.clientMessageId,
        });
      });
      await store.sendImage(c, upload, 'cm-1');
      expect(api.sendMessage).toHaveBeenCalledWith(c.id, { type: 'image', uploadId: 'up-1', clientMessageId: 'cm-1' });
      expect(messages.messagesOf(c.id).map((m) => m.id)).toEqual(['31']);
      expect(store.byId[c.id]?.lastMessage?.type).toBe('image');
    });
  });
});

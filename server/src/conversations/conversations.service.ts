import { Inject, Injectable } from '@nestjs/common';
import type {
  Conversation,
  ConversationCounts,
  ConversationStatus,
  Message,
  Page,
  SendMessageRequest,
  SyncResponse,
} from '@inbox/shared';
import type { EntityManager } from 'typeorm';
import { AccountsService, seesAllAccounts, type Viewer } from '../accounts/accounts.service';
import { AuditService } from '../audit/audit.service';
import { CannedResponsesRepository } from '../canned-responses/canned-responses.repository';
import { usableIn } from '../canned-responses/canned-responses.service';
import { AppError } from '../common/app-error';
import { UUID } from '../common/uuid';
import { InboxEvents } from '../events/inbox-events';
import { JobQueue } from '../outbound/job-queue';
import { uploadUrl } from '../uploads/upload-files';
import { UploadsRepository } from '../uploads/uploads.repository';
import { UsersRepository } from '../users/users.repository';
import type { ListConversationsQuery } from './conversations.dto';
import { ConversationsRepository } from './conversations.repository';

/** The largest `bigint` (message ids, transaction ids): a larger cursor of digits would fail its cast. */
const INT8_MAX = 9223372036854775807n;

function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  const year = date.getUTCFullYear(); // NaN for an invalid date; years PostgreSQL cannot hold are no cursor either
  if (!id || !UUID.test(id) || !(year >= 1 && year <= 9999)) {
    throw new AppError('validation/failed', 'cursor is not one this API returned', { cursor: ['unknown cursor'] });
  }
  return { at: date, id };
}

@Injectable()
export class ConversationsService {
  constructor(
    @Inject(ConversationsRepository) private readonly repo: ConversationsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(UploadsRepository) private readonly uploads: UploadsRepository,
    @Inject(CannedResponsesRepository) private readonly canned: CannedResponsesRepository,
  ) {}

  async list(viewer: Viewer, q: ListConversationsQuery): Promise<Page<Conversation>> {
    let accountIds = await this.accounts.visibleAccountIds(viewer);
    if (q.accountId) accountIds = accountIds.filter((a) => a === q.accountId);
    const limit = q.limit ?? 30;
    const sort = q.sort ?? 'last_activity';
    const assignee =
      q.assignee === undefined
        ? undefined
        : q.assignee === 'none'
          ? { kind: 'none' as const }
          : { kind: 'user' as const, id: q.assignee === 'me' ? viewer.id : q.assignee };
    const team =
      q.teamId === undefined
        ? undefined
        : q.teamId === 'none'
          ? { kind: 'none' as const }
          : { kind: 'team' as const, id: q.teamId };
    const items = await this.repo.list(viewer.id, {
      accountIds,
      ...(q.status ? { status: q.status } : {}),
      ...(assignee ? { assignee } : {}),
      ...(team ? { team } : {}),
      ...(q.labelId ? { labelId: q.labelId } : {}),
      ...(q.contactId ? { contactId: q.contactId } : {}),
      ...(q.q ? { q: q.q } : {}),
      sort,
      ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
      limit,
    });
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: items.length === limit && last ? encodeCursor(this.repo.sortKey(last, sort), last.id) : null,
    };
  }

  /** The conversation if the viewer may see its account; otherwise exactly like a missing one. */
  async get(viewer: Viewer, id: string): Promise<Conversation> {
    const c = UUID.test(id) ? await this.repo.find(viewer.id, id) : undefined;
    const notFound = () => new AppError('conversations/not_found', 'No such conversation');
    if (!c) throw notFound();
    await this.accounts.assertCanSee(viewer, c.accountId).catch(() => {
      throw notFound();
    });
    return c;
  }

  async messages(viewer: Viewer, id: string, cursor: string | undefined, limit = 50): Promise<Page<Message>> {
    await this.get(viewer, id);
    if (cursor !== undefined && BigInt(cursor) > INT8_MAX) {
      throw new AppError('validation/failed', 'cursor must be a message id', {
        cursor: ['cursor must be a message id'],
      });
    }
    const items = await this.repo.messages(id, cursor, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: items.length === limit && last ? last.id : null };
  }

  /**
   * Queues a reply through the conversation's own account: checks the customer-service window
   * and quota, inserts the message as `queued` and its delivery job in one transaction. The
   * same clientMessageId returns the message already queued (a double click sends once).
   */
  async send(
    viewer: Viewer,
    id: string,
    text: string,
    clientMessageId: string,
  ): Promise<{ message: Message; created: boolean }> {
    return this.sendReply(viewer, id, { type: 'text', text, clientMessageId });
  }

  /**
   * What a reply sends: a text as is; an image uploaded to this conversation's account (type `image`, the file's
   * facts in the payload, shown like a customer's image); a canned response (global or of this account) as its text.
   */
  private async replyContent(
    em: EntityManager,
    accountId: string,
    request: SendMessageRequest,
  ): Promise<{ type: string; text: string | null; payload: Record<string, unknown> }> {
    switch (request.type) {
      case 'text':
        return { type: 'text', text: request.text, payload: {} };
      case 'image': {
        const upload = await this.uploads.find(request.uploadId, em);
        if (!upload || upload.account_id !== accountId) {
          throw new AppError('validation/failed', "The image was not uploaded to this conversation's account", {
            uploadId: ["not an upload of this conversation's account"],
          });
        }
        return {
          type: 'image',
          text: null,
          payload: {
            uploadId: upload.id,
            mediaUrl: uploadUrl(upload.id),
            mediaContentType: upload.content_type,
            mediaSize: upload.size,
          },
        };
      }
      case 'canned': {
        const canned = await this.canned.find(request.cannedResponseId, em);
        if (!canned || !usableIn(canned, accountId)) {
          throw new AppError('canned_responses/not_found', 'No such canned response');
        }
        return { type: 'text', text: canned.text, payload: { cannedResponseId: canned.id } };
      }
    }
  }

  /** `send` for every kind of reply (SendMessageRequest); the same window, quota and idempotency rules. */
  async sendReply(
    viewer: Viewer,
    id: string,
    request: SendMessageRequest,
  ): Promise<{ message: Message; created: boolean }> {
    const { clientMessageId } = request;
    const conversation = await this.get(viewer, id);
    const result = await this.repo.transaction(async (em) => {
      const locked = await this.repo.lockForReply(em, id);
      if (!locked) throw new AppError('conversations/not_found', 'No such conversation');
      const existing = await this.repo.findByClientMessageId(em, id, clientMessageId);
      if (existing) return { message: existing, created: false };
      const content = await this.replyContent(em, locked.account_id, request);
      if (!locked.window_closes_at || locked.window_closes_at.getTime() <= Date.now()) {
        throw new AppError(
          'wechat/window_closed',
          "WeChat only allows replies within 48 hours of the customer's last message; wait for the customer to write again",
        );
      }
      if (locked.sends_left <= 0) {
        throw new AppError(
          'wechat/quota_exhausted',
          'All replies allowed in this window are used; wait for the customer to write again',
        );
      }
      const message = await this.repo.insertOutgoing(em, {
        conversationId: id,
        accountId: locked.account_id,
        type: content.type,
        text: content.text,
        payload: content.payload,
        senderId: viewer.id,
        clientMessageId,
        private: false,
      });
      await this.jobs.enqueueDelivery(em, { messageId: message.id });
      return { message, created: true };
    });
    if (result.created) {
      this.jobs.nudgeDelivery();
      this.events.emit('message.created', {
        messageId: result.message.id,
        accountId: conversation.accountId,
        conversationId: id,
      });
      this.changed(id, conversation.accountId);
    }
    return result;
  }

  /** A private note: stored and shown to colleagues, never sent to WeChat. */
  async note(viewer: Viewer, id: string, text: string): Promise<Message> {
    const conversation = await this.get(viewer, id);
    const message = await this.repo.transaction((em) =>
      this.repo.insertOutgoing(em, {
        conversationId: id,
        accountId: conversation.accountId,
        type: 'note',
        text,
        senderId: viewer.id,
        clientMessageId: null,
        private: true,
      }),
    );
    this.events.emit('message.created', {
      messageId: message.id,
      accountId: conversation.accountId,
      conversationId: id,
    });
    return message;
  }

  async setStatus(
    viewer: Viewer,
    id: string,
    status: ConversationStatus,
    snoozedUntil?: string,
  ): Promise<Conversation> {
    const c = await this.get(viewer, id);
    let until: Date | null = null;
    if (status === 'snoozed') {
      until = new Date(snoozedUntil ?? '');
      if (Number.isNaN(until.getTime()) || until.getTime() <= Date.now()) {
        throw new AppError('validation/failed', 'snoozedUntil must be in the future', {
          snoozedUntil: ['must be in the future'],
        });
      }
    }
    await this.repo.transaction(async (em) => {
      if (status !== 'resolved' && c.status === 'resolved') {
        // Reopening a resolved conversation must not collide with a newer open one of the same customer.
        const clash: unknown[] = await em.query(
          `SELECT 1 FROM conversations WHERE contact_id = $1 AND status <> 'resolved' AND id <> $2`,
          [c.contact.id, id],
        );
        if (clash.length)
          throw new AppError('validation/failed', 'This customer already has an open conversation', {
            status: ['another conversation of this customer is open'],
          });
      }
      const changed = await this.repo.setStatus(em, id, status, until);
      const previous = changed?.previous;
      if (changed && previous !== status) {
        const type =
          status === 'resolved'
            ? 'resolved'
            : status === 'snoozed'
              ? 'snoozed'
              : previous === 'resolved'
                ? 'reopened'
                : 'status_changed';
        await this.repo.appendEvent(em, id, type, viewer.id, {
          from: previous,
          to: status,
          ...(until ? { until: until.toISOString() } : {}),
          // Resolution time of the episode, attributed to whoever held the conversation.
          ...(status === 'resolved'
            ? {
                seconds: Math.round((Date.now() - changed.episodeStartedAt.getTime()) / 10) / 100,
                assigneeId: changed.assigneeId,
              }
            : {}),
        });
      }
    });
    this.changed(id, c.accountId);
    return this.get(viewer, id);
  }

  async assign(viewer: Viewer, id: string, userId: string | null, note?: string): Promise<Conversation> {
    const c = await this.get(viewer, id);
    if (viewer.role === 'agent' && userId !== null && userId !== viewer.id) {
      throw new AppError('auth/forbidden', 'Agents can only assign conversations to themselves');
    }
    if (userId !== null) {
      const user = await this.users.findById(userId);
      const ok =
        user &&
        !user.disabled &&
        (seesAllAccounts(user.role) || (await this.accounts.visibleAccountIds(user)).includes(c.accountId));
      if (!ok)
        throw new AppError('validation/failed', 'The assignee must be an active member of this account', {
          userId: ['not a member of this account'],
        });
    }
    const change = await this.repo.transaction(async (em) => {
      const previous = await this.repo.setAssignee(em, id, userId);
      if (previous === userId) return undefined;
      const type = userId === null ? 'unassigned' : previous ? 'transferred' : 'assigned';
      await this.repo.appendEvent(em, id, type, viewer.id, {
        from: previous ?? null,
        to: userId,
        ...(note ? { note } : {}),
      });
      return { type, from: previous ?? null } as const;
    });
    if (change) {
      await this.audit.record(`conversation.${change.type}`, {
        targetType: 'conversation',
        targetId: id,
        details: { accountId: c.accountId, from: change.from, to: userId, ...(note ? { note } : {}) },
      });
    }
    this.changed(id, c.accountId);
    return this.get(viewer, id);
  }

  /** Sidebar figures over the accounts the viewer may see. */
  async counts(viewer: Viewer): Promise<ConversationCounts> {
    return this.repo.counts(viewer.id, await this.accounts.visibleAccountIds(viewer));
  }

  /** Routes the conversation to a team, or to none; anyone who may see the conversation may. */
  async setTeam(viewer: Viewer, id: string, teamId: string | null): Promise<Conversation> {
    const to = teamId === null ? null : teamId.toLowerCase();
    return this.change(viewer, id, async (em) => {
      const result = await this.repo.setTeam(em, id, to);
      if (result === 'unknown_team') {
        throw new AppError('validation/failed', 'No such team', { teamId: ['not a team'] });
      }
      if (!result) throw new AppError('conversations/not_found', 'No such conversation');
      return result.from === to ? undefined : { type: 'team_changed', data: { from: result.from, to } };
    });
  }

  /** Replaces the conversation's labels; anyone who may see the conversation may. */
  async setLabels(viewer: Viewer, id: string, labelIds: string[]): Promise<Conversation> {
    const wanted = [...new Set(labelIds.map((l) => l.toLowerCase()))];
    return this.change(viewer, id, async (em) => {
      const result = await this.repo.setLabels(em, id, wanted);
      if (!result) throw new AppError('conversations/not_found', 'No such conversation');
      if ('unknown' in result) {
        throw new AppError('validation/failed', `No such labels: ${result.unknown.join(', ')}`, {
          labelIds: result.unknown.map((l) => `${l} is not a label`),
        });
      }
      return result.added.length || result.removed.length ? { type: 'labels_changed', data: result } : undefined;
    });
  }

  /**
   * A change of a conversation the viewer may see: `write` runs in a transaction and answers the event it makes
   * (none when nothing changed), appended in that transaction; once committed, the conversation's account hears of
   * it. Answers the conversation as it is now.
   */
  private async change(
    viewer: Viewer,
    id: string,
    write: (em: EntityManager) => Promise<{ type: string; data: Record<string, unknown> } | undefined>,
  ): Promise<Conversation> {
    const c = await this.get(viewer, id);
    const changed = await this.repo.transaction(async (em) => {
      const event = await write(em);
      if (event) await this.repo.appendEvent(em, id, event.type, viewer.id, event.data);
      return event !== undefined;
    });
    if (changed) this.changed(id, c.accountId);
    return this.get(viewer, id);
  }

  /** Tells the conversation's account (its sockets) that it changed. */
  private changed(conversationId: string, accountId: string): void {
    this.events.emit('conversation.changed', { conversationId, accountId, created: false });
  }

  async markRead(viewer: Viewer, id: string): Promise<Conversation> {
    await this.get(viewer, id);
    await this.repo.markRead(id, viewer.id);
    return this.get(viewer, id);
  }

  async sync(viewer: Viewer, since: string | undefined): Promise<SyncResponse> {
    if (since === undefined) return { conversations: [], messages: [], cursor: await this.repo.currentCursor() };
    if (BigInt(since) > INT8_MAX) {
      throw new AppError('validation/failed', 'since must be a cursor returned by /api/sync', {
        since: ['since must be a cursor returned by /api/sync'],
      });
    }
    const accountIds = await this.accounts.visibleAccountIds(viewer);
    return this.repo.changesSince(viewer.id, accountIds, since, 1000);
  }
}

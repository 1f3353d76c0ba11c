import { Inject, Injectable } from '@nestjs/common';
import type { Conversation, ConversationCounts, ConversationStatus, Message, MessageStatus } from '@inbox/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface ConversationRow {
  id: string;
  account_id: string;
  contact_id: string;
  openid: string;
  remark: string | null;
  subscribed: boolean;
  status: ConversationStatus;
  assignee_id: string | null;
  team_id: string | null;
  label_ids: string[];
  snoozed_until: Date | null;
  last_message_at: Date;
  last_customer_message_at: Date | null;
  window_closes_at: Date | null;
  sends_left: number;
  unread: string;
  lm_type: string | null;
  lm_text: string | null;
  lm_direction: 'in' | 'out' | null;
  lm_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  account_id: string;
  direction: 'in' | 'out';
  type: string;
  text: string | null;
  payload: Record<string, unknown>;
  external_id: string | null;
  client_message_id: string | null;
  status: MessageStatus | null;
  error_code: string | null;
  error_reason: string | null;
  private: boolean;
  sender_id: string | null;
  sent_at: Date;
  created_at: Date;
}

export interface ListFilter {
  accountIds: string[];
  status?: ConversationStatus;
  assignee?: { kind: 'none' } | { kind: 'user'; id: string };
  team?: { kind: 'none' } | { kind: 'team'; id: string };
  labelId?: string;
  contactId?: string;
  /** Text to find (case-insensitive substring of the remark, the openid or a non-private message). */
  q?: string;
  sort: 'last_activity' | 'waiting';
  after?: { at: Date; id: string };
  limit: number;
}

/** The conversation shape of the API, for one viewer (unread counts are per user). */
const CONVERSATION_SELECT = `
  SELECT c.id, c.account_id, c.contact_id, k.external_id AS openid, k.remark, k.subscribed, c.status, c.assignee_id, c.team_id,
         ARRAY(SELECT cl.label_id FROM conversation_labels cl WHERE cl.conversation_id = c.id
                ORDER BY cl.created_at, cl.label_id) AS label_ids,
         c.snoozed_until, c.last_message_at, c.last_customer_message_at, c.window_closes_at, c.sends_left,
         c.created_at, c.updated_at,
         (SELECT count(*) FROM messages u
           WHERE u.conversation_id = c.id AND u.direction = 'in'
             AND u.id > COALESCE((SELECT r.last_read_message_id FROM conversation_reads r
                                   WHERE r.conversation_id = c.id AND r.user_id = $1), 0)) AS unread,
         lm.type AS lm_type, lm.text AS lm_text, lm.direction AS lm_direction, lm.sent_at AS lm_at
    FROM conversations c
    JOIN contacts k ON k.id = c.contact_id
    LEFT JOIN LATERAL (SELECT m.type, m.text, m.direction, m.sent_at FROM messages m
                        WHERE m.conversation_id = c.id AND NOT m.private ORDER BY m.id DESC LIMIT 1) lm ON true`;

const MESSAGE_COLUMNS = `id, conversation_id, account_id, direction, type, text, payload, external_id, client_message_id,
  status, error_code, error_reason, private, sender_id, sent_at, created_at`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * Appends one event to each conversation matching `where` (SQL over `conversations`, its parameters `params` as
 * $1…), optionally changing them too (`set`, SQL assignments), and bumps each (so `/api/sync` carries them); answers
 * them. They are locked first in id order, as every bulk change of conversations locks them, so that two such changes
 * (deleting a team, a label) cannot deadlock. The caller has locked what they are matched by.
 */
export async function appendEventToEach(
  em: EntityManager,
  match: { where: string; params: unknown[]; set?: string },
  event: { type: string; actorId: string; data: Record<string, unknown> },
): Promise<Array<{ id: string; accountId: string }>> {
  const { where, params, set } = match;
  await em.query(`SELECT id FROM conversations WHERE ${where} ORDER BY id FOR UPDATE`, params);
  const n = params.length;
  const rows: { id: string; account_id: string }[] = await em.query(
    `WITH c AS (
       UPDATE conversations SET ${set ? `${set}, ` : ''}event_seq = event_seq + 1, updated_at = now()
        WHERE ${where} RETURNING id, account_id, event_seq),
     e AS (
       INSERT INTO conversation_events (conversation_id, account_id, seq, type, actor_id, data)
       SELECT c.id, c.account_id, c.event_seq, $${n + 1}, $${n + 2}::uuid, $${n + 3}::jsonb FROM c)
     SELECT id, account_id FROM c`,
    [...params, event.type, event.actorId, JSON.stringify(event.data)],
  );
  return rows.map((r) => ({ id: r.id, accountId: r.account_id }));
}

/** A LIKE pattern matching `text` anywhere: `%`, `_` and the escape character (backslash) are taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

export function toConversation(r: ConversationRow): Conversation {
  const windowOpen = r.window_closes_at !== null && r.window_closes_at.getTime() > Date.now();
  return {
    id: r.id,
    accountId: r.account_id,
    contact: {
      id: r.contact_id,
      openid: r.openid,
      name: r.remark ?? `Customer ·${r.openid.slice(-6)}`,
      remark: r.remark,
      subscribed: r.subscribed,
    },
    status: r.status,
    assigneeId: r.assignee_id,
    teamId: r.team_id,
    labelIds: r.label_ids,
    snoozedUntil: iso(r.snoozed_until),
    lastMessageAt: r.last_message_at.toISOString(),
    lastCustomerMessageAt: iso(r.last_customer_message_at),
    windowClosesAt: windowOpen ? iso(r.window_closes_at) : null,
    sendsLeft: windowOpen ? r.sends_left : 0,
    unreadCount: Number(r.unread),
    lastMessage:
      r.lm_type && r.lm_at && r.lm_direction
        ? { type: r.lm_type, text: r.lm_text, direction: r.lm_direction, at: r.lm_at.toISOString() }
        : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function toMessage(r: MessageRow): Message {
  return {
    id: String(r.id),
    conversationId: r.conversation_id,
    accountId: r.account_id,
    direction: r.direction,
    type: r.type,
    text: r.text,
    payload: r.payload,
    externalId: r.external_id,
    clientMessageId: r.client_message_id,
    status: r.status,
    errorCode: r.error_code,
    errorReason: r.error_reason,
    private: r.private,
    senderId: r.sender_id,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at.toISOString(),
  };
}

@Injectable()
export class ConversationsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /**
   * Keyset page, newest activity first (or longest waiting first), over the given accounts only.
   * One index range scan per account (LATERAL, each stopping after `limit` rows), then a merge of at
   * most accounts × limit rows: the plan never sorts an account's whole set of conversations.
   */
  async list(viewerId: string, f: ListFilter): Promise<Conversation[]> {
    const params: unknown[] = [viewerId, f.accountIds];
    const where = ['c.account_id = a.id'];
    if (f.status) {
      params.push(f.status);
      where.push(`c.status = $${params.length}`);
    }
    if (f.assignee?.kind === 'none') where.push('c.assignee_id IS NULL');
    if (f.assignee?.kind === 'user') {
      params.push(f.assignee.id);
      where.push(`c.assignee_id = $${params.length}`);
    }
    if (f.team?.kind === 'none') where.push('c.team_id IS NULL');
    if (f.team?.kind === 'team') {
      params.push(f.team.id);
      where.push(`c.team_id = $${params.length}::uuid`);
    }
    if (f.contactId) {
      params.push(f.contactId);
      where.push(`c.contact_id = $${params.length}::uuid`);
    }
    if (f.labelId) {
      params.push(f.labelId);
      where.push(
        `EXISTS (SELECT 1 FROM conversation_labels cl WHERE cl.conversation_id = c.id AND cl.label_id = $${params.length}::uuid)`,
      );
    }
    if (f.q) {
      // The matching contacts and messages of the listed accounts only (found once, through their
      // account indexes, then probed by each account's scan), not of every account.
      params.push(containsPattern(f.q));
      const p = `$${params.length}::text`;
      where.push(`(c.contact_id IN (SELECT k.id FROM contacts k WHERE k.account_id = ANY($2::uuid[])
                                       AND (k.remark ILIKE ${p} OR k.external_id ILIKE ${p}))
             OR c.id IN (SELECT m.conversation_id FROM messages m WHERE m.account_id = ANY($2::uuid[])
                            AND NOT m.private AND m.text ILIKE ${p}))`);
    }
    const waiting = f.sort === 'waiting';
    const key = waiting ? 'c.last_customer_message_at' : 'c.last_message_at';
    const dir = waiting ? 'ASC' : 'DESC';
    if (waiting) where.push('c.last_customer_message_at IS NOT NULL');
    if (f.after) {
      params.push(f.after.at, f.after.id);
      where.push(`(${key}, c.id) ${waiting ? '>' : '<'} ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(f.limit);
    const limit = `$${params.length}`;
    const page = `
      SELECT c.id FROM unnest($2::uuid[]) AS a(id)
      CROSS JOIN LATERAL (
        SELECT c.id, ${key} AS k FROM conversations c WHERE ${where.join(' AND ')}
         ORDER BY ${key} ${dir}, c.id ${dir} LIMIT ${limit}
      ) c
      ORDER BY c.k ${dir}, c.id ${dir} LIMIT ${limit}`;
    const rows: ConversationRow[] = await this.ds.query(
      `WITH page AS (${page}) ${CONVERSATION_SELECT} JOIN page p ON p.id = c.id ORDER BY ${key} ${dir}, c.id ${dir}`,
      params,
    );
    return rows.map(toConversation);
  }

  /** The sort key of a conversation, for building the next cursor. */
  sortKey(c: Conversation, sort: 'last_activity' | 'waiting'): string {
    return sort === 'waiting' ? (c.lastCustomerMessageAt ?? c.lastMessageAt) : c.lastMessageAt;
  }

  async find(viewerId: string, id: string, em: EntityManager = this.ds.manager): Promise<Conversation | undefined> {
    const rows: ConversationRow[] = await em.query(`${CONVERSATION_SELECT} WHERE c.id = $2`, [viewerId, id]);
    return rows[0] ? toConversation(rows[0]) : undefined;
  }

  async accountOf(id: string): Promise<string | undefined> {
    const rows: { account_id: string }[] = await this.ds.query(`SELECT account_id FROM conversations WHERE id = $1`, [
      id,
    ]);
    return rows[0]?.account_id;
  }

  /**
   * Newest first in the customer's own order (WeChat's CreateTime, so a late callback lands where it
   * belongs), then by id; the cursor is the last message id of the previous page.
   */
  async messages(conversationId: string, beforeId: string | undefined, limit: number): Promise<Message[]> {
    const rows: MessageRow[] = await this.ds.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1
         ${beforeId ? 'AND (sent_at, id) < (SELECT sent_at, id FROM messages WHERE id = $3 AND conversation_id = $1)' : ''}
        ORDER BY sent_at DESC, id DESC LIMIT $2`,
      beforeId ? [conversationId, limit, beforeId] : [conversationId, limit],
    );
    return rows.map(toMessage);
  }

  async message(id: string, em: EntityManager = this.ds.manager): Promise<Message | undefined> {
    const rows: MessageRow[] = await em.query(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = $1`, [id]);
    return rows[0] ? toMessage(rows[0]) : undefined;
  }

  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /** Locks the conversation row for a reply and reads its window. */
  async lockForReply(
    em: EntityManager,
    id: string,
  ): Promise<
    { account_id: string; window_closes_at: Date | null; sends_left: number; status: ConversationStatus } | undefined
  > {
    const rows: {
      account_id: string;
      window_closes_at: Date | null;
      sends_left: number;
      status: ConversationStatus;
    }[] = await em.query(
      `SELECT account_id, window_closes_at, sends_left, status FROM conversations WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async findByClientMessageId(
    em: EntityManager,
    conversationId: string,
    clientMessageId: string,
  ): Promise<Message | undefined> {
    const rows: MessageRow[] = await em.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND client_message_id = $2`,
      [conversationId, clientMessageId],
    );
    return rows[0] ? toMessage(rows[0]) : undefined;
  }

  /** Inserts an outgoing message or note, appends its event, and (for replies) spends one send. */
  async insertOutgoing(
    em: EntityManager,
    m: {
      conversationId: string;
      accountId: string;
      type: string;
      text: string | null;
      /** What else the message carries (an image reply: its upload and file facts). Default `{}`. */
      payload?: Record<string, unknown>;
      senderId: string;
      clientMessageId: string | null;
      private: boolean;
    },
  ): Promise<Message> {
    const rows: MessageRow[] = await em.query(
      `INSERT INTO messages (conversation_id, account_id, direction, type, text, payload, client_message_id, status, private, sender_id)
       VALUES ($1, $2, 'out', $3, $4, $9::jsonb, $5, $6, $7, $8) RETURNING ${MESSAGE_COLUMNS}`,
      [
        m.conversationId,
        m.accountId,
        m.type,
        m.text,
        m.clientMessageId,
        m.private ? null : 'queued',
        m.private,
        m.senderId,
        JSON.stringify(m.payload ?? {}),
      ],
    );
    const msg = rows[0]!;
    // One statement: spend a send (replies), append the message's event and, for a reply to a
    // waiting customer, a `replied` event with the wait in seconds (first response of the episode or
    // reply time), attributed to the assignee at that moment and to the sender.
    await em.query(
      `WITH prev AS (
         SELECT awaiting_since, first_response_at, assignee_id FROM conversations WHERE id = $1 FOR UPDATE
       ), c AS (
         UPDATE conversations SET
                event_seq = event_seq + CASE WHEN NOT $4 AND prev.awaiting_since IS NOT NULL THEN 2 ELSE 1 END,
                sends_left = CASE WHEN $4 THEN sends_left ELSE sends_left - 1 END,
                awaiting_since = CASE WHEN $4 THEN conversations.awaiting_since END,
                first_response_at = CASE WHEN $4 OR prev.awaiting_since IS NULL THEN conversations.first_response_at
                                         ELSE COALESCE(conversations.first_response_at, now()) END,
                last_message_at = CASE WHEN $4 THEN last_message_at ELSE now() END, updated_at = now()
           FROM prev WHERE id = $1 RETURNING event_seq)
       INSERT INTO conversation_events (conversation_id, account_id, seq, type, actor_id, message_id, data)
       SELECT $1::uuid, $2::uuid, c.event_seq - CASE WHEN NOT $4 AND prev.awaiting_since IS NOT NULL THEN 1 ELSE 0 END,
              CASE WHEN $4 THEN 'note' ELSE 'message_out' END, $3::uuid, $5::bigint, '{}'::jsonb FROM c, prev
       UNION ALL
       SELECT $1::uuid, $2::uuid, c.event_seq, 'replied', $3::uuid, $5::bigint,
              jsonb_build_object('seconds', round(extract(epoch FROM now() - prev.awaiting_since)::numeric, 3),
                                 'first', prev.first_response_at IS NULL, 'since', prev.awaiting_since,
                                 'assigneeId', prev.assignee_id, 'senderId', $3)
         FROM c, prev WHERE NOT $4 AND prev.awaiting_since IS NOT NULL`,
      [m.conversationId, m.accountId, m.senderId, m.private, msg.id],
    );
    return toMessage(msg);
  }

  async appendEvent(
    em: EntityManager,
    conversationId: string,
    type: string,
    actorId: string | null,
    data: Record<string, unknown>,
  ): Promise<void> {
    await em.query(
      `WITH c AS (UPDATE conversations SET event_seq = event_seq + 1, updated_at = now() WHERE id = $1 RETURNING event_seq, account_id)
       INSERT INTO conversation_events (conversation_id, account_id, seq, type, actor_id, data)
       SELECT $1, c.account_id, c.event_seq, $2, $3, $4::jsonb FROM c`,
      [conversationId, type, actorId, JSON.stringify(data)],
    );
  }

  /**
   * Sets the status; reopening a resolved conversation starts a new episode (metrics restart).
   * Answers the previous status, with the episode start and assignee for the `resolved` metric.
   */
  async setStatus(
    em: EntityManager,
    id: string,
    status: ConversationStatus,
    snoozedUntil: Date | null,
  ): Promise<{ previous: ConversationStatus; episodeStartedAt: Date; assigneeId: string | null } | undefined> {
    const rows: Array<{ previous: ConversationStatus; episode_started_at: Date; assignee_id: string | null }> =
      await em.query(
        `WITH p AS (SELECT status AS previous, episode_started_at FROM conversations WHERE id = $1 FOR UPDATE),
       u AS (
         UPDATE conversations c SET status = $2, snoozed_until = $3, updated_at = now(),
                episode_started_at = CASE WHEN p.previous = 'resolved' AND $2 <> 'resolved' THEN now() ELSE c.episode_started_at END,
                first_response_at = CASE WHEN p.previous = 'resolved' AND $2 <> 'resolved' THEN NULL ELSE c.first_response_at END,
                awaiting_since = CASE WHEN $2 = 'resolved' THEN NULL ELSE c.awaiting_since END
           FROM p WHERE c.id = $1 RETURNING p.previous, p.episode_started_at, c.assignee_id)
       SELECT * FROM u`,
        [id, status, snoozedUntil],
      );
    const r = rows[0];
    return r ? { previous: r.previous, episodeStartedAt: r.episode_started_at, assigneeId: r.assignee_id } : undefined;
  }

  async setAssignee(em: EntityManager, id: string, userId: string | null): Promise<string | null | undefined> {
    const rows: [Array<{ previous: string | null }>, number] = await em.query(
      `UPDATE conversations c SET assignee_id = $2, updated_at = now()
         FROM (SELECT assignee_id AS previous FROM conversations WHERE id = $1 FOR UPDATE) p
        WHERE c.id = $1 RETURNING p.previous`,
      [id, userId],
    );
    const row = rows[0]?.[0];
    return row ? row.previous : undefined;
  }

  /**
   * Routes the conversation to a team (or none). The team is locked (FOR SHARE) before the
   * conversation, in the order deleting a team takes them, so it cannot vanish meanwhile. Answers
   * the previous team, `'unknown_team'`, or undefined for no such conversation.
   */
  async setTeam(
    em: EntityManager,
    id: string,
    teamId: string | null,
  ): Promise<{ from: string | null } | 'unknown_team' | undefined> {
    if (teamId !== null) {
      const team: unknown[] = await em.query(`SELECT 1 FROM teams WHERE id = $1 FOR SHARE`, [teamId]);
      if (!team.length) return 'unknown_team';
    }
    const rows: { team_id: string | null }[] = await em.query(
      `SELECT team_id FROM conversations WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const from = rows[0];
    if (!from) return undefined;
    if (from.team_id !== teamId) {
      await em.query(`UPDATE conversations SET team_id = $2, updated_at = now() WHERE id = $1`, [id, teamId]);
    }
    return { from: from.team_id };
  }

  /**
   * Replaces the conversation's labels (locked FOR SHARE first, as deleting a label locks it); new
   * ones keep the order given. Answers what was added and removed, the ids that are no labels
   * (nothing is written then), or undefined for no such conversation.
   */
  async setLabels(
    em: EntityManager,
    id: string,
    labelIds: string[],
  ): Promise<{ added: string[]; removed: string[] } | { unknown: string[] } | undefined> {
    const known: { id: string }[] = labelIds.length
      ? await em.query(`SELECT id FROM labels WHERE id = ANY($1::uuid[]) ORDER BY id FOR SHARE`, [labelIds])
      : [];
    const unknown = labelIds.filter((l) => !known.some((k) => k.id === l));
    if (unknown.length) return { unknown };
    const conversation: unknown[] = await em.query(`SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE`, [id]);
    if (!conversation.length) return undefined;
    const current: { label_id: string }[] = await em.query(
      `SELECT label_id FROM conversation_labels WHERE conversation_id = $1 ORDER BY created_at, label_id`,
      [id],
    );
    const before = current.map((r) => r.label_id);
    const added = labelIds.filter((l) => !before.includes(l));
    const removed = before.filter((l) => !labelIds.includes(l));
    if (removed.length) {
      await em.query(`DELETE FROM conversation_labels WHERE conversation_id = $1 AND label_id = ANY($2::uuid[])`, [
        id,
        removed,
      ]);
    }
    if (added.length) {
      await em.query(
        `INSERT INTO conversation_labels (conversation_id, label_id, created_at)
         SELECT $1, x.id, now() + x.n * interval '1 microsecond' FROM unnest($2::uuid[]) WITH ORDINALITY AS x(id, n)
         ON CONFLICT DO NOTHING`,
        [id, added],
      );
    }
    return { added, removed };
  }

  /**
   * Sidebar figures over the given accounts, in one statement. Only unresolved conversations are
   * read (`status <> 'resolved'`: the partial index of unresolved conversations, or each account's
   * index), each one's unread state by the caller's read mark (primary key) and the newest customer
   * message after it (`messages (conversation_id, id)`).
   */
  async counts(viewerId: string, accountIds: string[]): Promise<ConversationCounts> {
    const rows: { counts: ConversationCounts }[] = await this.ds.query(
      `WITH live AS MATERIALIZED (
         SELECT c.id, c.account_id, c.status, c.assignee_id, c.team_id,
                EXISTS (SELECT 1 FROM messages u
                         WHERE u.conversation_id = c.id AND u.direction = 'in'
                           AND u.id > COALESCE((SELECT r.last_read_message_id FROM conversation_reads r
                                                 WHERE r.conversation_id = c.id AND r.user_id = $2), 0)) AS unread
           FROM conversations c
          WHERE c.account_id = ANY($1::uuid[]) AND c.status <> 'resolved'
       ), per_account AS (
         SELECT account_id,
                count(*) FILTER (WHERE status = 'open') AS open,
                count(*) FILTER (WHERE status = 'pending') AS pending,
                count(*) FILTER (WHERE status = 'snoozed') AS snoozed,
                count(*) FILTER (WHERE unread) AS unread,
                count(*) FILTER (WHERE status = 'open' AND assignee_id = $2) AS mine,
                count(*) FILTER (WHERE status = 'open' AND assignee_id IS NULL) AS unassigned
           FROM live GROUP BY account_id
       ), per_team AS (
         SELECT team_id, count(*) AS open FROM live WHERE status = 'open' AND team_id IS NOT NULL GROUP BY team_id
       ), per_label AS (
         SELECT cl.label_id, count(*) AS open
           FROM live JOIN conversation_labels cl ON cl.conversation_id = live.id
          WHERE live.status = 'open' GROUP BY cl.label_id
       )
       SELECT json_build_object(
         'accounts', (SELECT COALESCE(json_agg(json_build_object(
                        'accountId', a.id, 'open', COALESCE(p.open, 0), 'pending', COALESCE(p.pending, 0),
                        'snoozed', COALESCE(p.snoozed, 0), 'unread', COALESCE(p.unread, 0)) ORDER BY a.n), '[]')
                        FROM unnest($1::uuid[]) WITH ORDINALITY AS a(id, n) LEFT JOIN per_account p ON p.account_id = a.id),
         'mine', (SELECT COALESCE(sum(mine), 0) FROM per_account),
         'unassigned', (SELECT COALESCE(sum(unassigned), 0) FROM per_account),
         'all', (SELECT COALESCE(sum(open), 0) FROM per_account),
         'teams', (SELECT COALESCE(json_agg(json_build_object('teamId', t.id, 'open', COALESCE(pt.open, 0))
                                            ORDER BY t.name, t.id), '[]')
                     FROM teams t LEFT JOIN per_team pt ON pt.team_id = t.id),
         'labels', (SELECT COALESCE(json_agg(json_build_object('labelId', l.id, 'open', COALESCE(pl.open, 0))
                                             ORDER BY l.name, l.id), '[]')
                      FROM labels l LEFT JOIN per_label pl ON pl.label_id = l.id)
       ) AS counts`,
      [accountIds, viewerId],
    );
    return rows[0]!.counts;
  }

  async markRead(conversationId: string, userId: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO conversation_reads (conversation_id, user_id, last_read_message_id)
       SELECT $1, $2, COALESCE(max(id), 0) FROM messages WHERE conversation_id = $1
       ON CONFLICT (conversation_id, user_id) DO UPDATE SET last_read_message_id = GREATEST(conversation_reads.last_read_message_id, EXCLUDED.last_read_message_id)`,
      [conversationId, userId],
    );
  }

  /** Delivery outcome of an outgoing message. */
  async setDelivery(
    id: string,
    status: MessageStatus,
    error?: { code: string; reason: string },
  ): Promise<Message | undefined> {
    const rows: [MessageRow[], number] = await this.ds.query(
      `UPDATE messages SET status = $2, error_code = $3, error_reason = $4 WHERE id = $1 RETURNING ${MESSAGE_COLUMNS}`,
      [id, status, error?.code ?? null, error?.reason ?? null],
    );
    const row = rows[0]?.[0];
    return row ? toMessage(row) : undefined;
  }

  /**
   * Everything in the given accounts changed since `since` (a transaction-id horizon), read in one
   * REPEATABLE READ snapshot whose xmin becomes the next cursor: a row whose transaction was still
   * running is returned next time, so nothing is missed (a row may come twice; clients merge by id).
   */
  async changesSince(
    viewerId: string,
    accountIds: string[],
    since: string,
    limit: number,
  ): Promise<{ conversations: Conversation[]; messages: Message[]; cursor: string }> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const [{ cursor }] = (await runner.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS cursor`)) as [
        { cursor: string },
      ];
      const convRows: ConversationRow[] = await runner.query(
        `${CONVERSATION_SELECT} WHERE c.account_id = ANY($2::uuid[]) AND c.xact_id >= $3 ORDER BY c.last_message_at DESC LIMIT $4`,
        [viewerId, accountIds, since, limit],
      );
      const msgRows: MessageRow[] = await runner.query(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE account_id = ANY($1::uuid[]) AND xact_id >= $2 ORDER BY id LIMIT $3`,
        [accountIds, since, limit],
      );
      await runner.commitTransaction();
      return { conversations: convRows.map(toConversation), messages: msgRows.map(toMessage), cursor };
    } catch (err) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }

  async currentCursor(): Promise<string> {
    const rows: { cursor: string }[] = await this.ds.query(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS cursor`,
    );
    return rows[0]!.cursor;
  }
}

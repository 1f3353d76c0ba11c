import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { InboundMessage } from '../channels/wechat/wechat-message.mapper';
import { DATA_SOURCE } from '../database/data-source';
import { toConversation, toMessage } from './conversations.repository';
import type { Conversation, ConversationStatus, Message } from '@inbox/shared';

export interface WindowPolicy {
  longSends: number;
  longSeconds: number;
  shortSends: number;
  shortSeconds: number;
}

export interface IngestResult {
  /** null when the push was a duplicate (already stored). */
  messageId: string | null;
  conversationId: string | null;
  conversationCreated: boolean;
  /** What the statement stored, so the realtime fan-out needs no second round trip. */
  message?: Message;
  conversation?: Conversation;
}

/**
 * The ingest hot path: ONE statement per push. Upsert the contact; reuse its unresolved
 * conversation or open one (the partial unique index decides, so concurrent pushes agree);
 * move the window; insert the message once (ON CONFLICT on account + external id) and its
 * `message_in` event (numbered by the conversation's event_seq, bumped in the same upsert).
 * A duplicate changes nothing and creates no empty conversation.
 */
const INGEST_SQL = `
WITH dup AS (
  SELECT 1 FROM messages WHERE account_id = $1 AND external_id = $3
),
contact AS (
  INSERT INTO contacts (account_id, external_id, first_seen_at, last_seen_at, subscribed)
  SELECT $1, $2, $6, $6, COALESCE($12::boolean, true) WHERE NOT EXISTS (SELECT 1 FROM dup)
  ON CONFLICT (account_id, external_id) DO UPDATE
    SET last_seen_at = GREATEST(contacts.last_seen_at, EXCLUDED.last_seen_at),
        subscribed = COALESCE($12::boolean, contacts.subscribed)
  RETURNING id, external_id, remark, subscribed
),
conv AS (
  INSERT INTO conversations (account_id, contact_id, status, last_message_at, last_customer_message_at, window_closes_at, sends_left, event_seq, awaiting_since, episode_started_at)
  SELECT $1, contact.id, 'open', $6,
         CASE WHEN $9 = 'long' THEN $6 END,
         CASE WHEN $9 = 'long' THEN $6 + make_interval(secs => $10) WHEN $9 = 'short' THEN $6 + make_interval(secs => $11) END,
         CASE WHEN $9 = 'long' THEN $13::int WHEN $9 = 'short' THEN $14::int ELSE 0 END, 1,
         CASE WHEN $9 = 'long' THEN $6 END, $6
    FROM contact
  ON CONFLICT (contact_id) WHERE status <> 'resolved' DO UPDATE SET
    status = CASE WHEN conversations.status IN ('snoozed', 'pending') AND $9 <> 'none' THEN 'open' ELSE conversations.status END,
    snoozed_until = CASE WHEN conversations.status = 'snoozed' AND $9 <> 'none' THEN NULL ELSE conversations.snoozed_until END,
    last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at),
    last_customer_message_at = GREATEST(conversations.last_customer_message_at, EXCLUDED.last_customer_message_at),
    -- A push whose window ends no earlier resets it to what it allows (not cumulative: a new customer
    -- message gives 5 sends again); an older or shorter one (a late retry, a menu click) leaves it.
    window_closes_at = CASE WHEN EXCLUDED.window_closes_at IS NOT NULL
                             AND (conversations.window_closes_at IS NULL OR EXCLUDED.window_closes_at >= conversations.window_closes_at)
                            THEN EXCLUDED.window_closes_at ELSE conversations.window_closes_at END,
    sends_left = CASE WHEN EXCLUDED.window_closes_at IS NOT NULL
                       AND (conversations.window_closes_at IS NULL OR EXCLUDED.window_closes_at >= conversations.window_closes_at)
                      THEN EXCLUDED.sends_left ELSE conversations.sends_left END,
    -- A customer message starts the wait for a human reply unless one is already waiting (metrics).
    awaiting_since = CASE WHEN $9 = 'long' THEN LEAST(COALESCE(conversations.awaiting_since, $6), $6) ELSE conversations.awaiting_since END,
    event_seq = conversations.event_seq + 1,
    updated_at = now()
  RETURNING id, event_seq, (xmax = 0) AS created, status, assignee_id, team_id, snoozed_until, last_message_at,
            last_customer_message_at, window_closes_at, sends_left, created_at, updated_at
),
msg AS (
  INSERT INTO messages (conversation_id, account_id, direction, type, text, payload, raw, external_id, sent_at)
  SELECT conv.id, $1, 'in', $4, $5, $7::jsonb, $8, $3, $6 FROM conv
  ON CONFLICT (account_id, external_id) DO NOTHING
  RETURNING id, created_at
),
event AS (
  INSERT INTO conversation_events (conversation_id, account_id, seq, type, message_id, data, created_at)
  SELECT conv.id, $1, conv.event_seq, 'message_in', msg.id,
         jsonb_build_object('opened', conv.created, 'window', $9), $6
    FROM conv, msg
)
SELECT msg.id AS message_id, msg.created_at AS message_created_at, conv.id AS conversation_id, conv.created,
       conv.status, conv.assignee_id, conv.team_id, conv.snoozed_until,
       CASE WHEN conv.created THEN '{}'::uuid[]
            ELSE ARRAY(SELECT cl.label_id FROM conversation_labels cl WHERE cl.conversation_id = conv.id
                        ORDER BY cl.created_at, cl.label_id) END AS label_ids, conv.last_message_at, conv.last_customer_message_at,
       conv.window_closes_at, conv.sends_left, conv.created_at, conv.updated_at,
       contact.id AS contact_id, contact.external_id AS openid, contact.remark, contact.subscribed
  FROM (SELECT 1) one LEFT JOIN conv ON true LEFT JOIN msg ON true LEFT JOIN contact ON true`;

interface IngestRow {
  message_id: string | null;
  message_created_at: Date | null;
  conversation_id: string | null;
  created: boolean | null;
  status: ConversationStatus | null;
  assignee_id: string | null;
  team_id: string | null;
  label_ids: string[] | null;
  snoozed_until: Date | null;
  last_message_at: Date | null;
  last_customer_message_at: Date | null;
  window_closes_at: Date | null;
  sends_left: number | null;
  created_at: Date | null;
  updated_at: Date | null;
  contact_id: string | null;
  openid: string | null;
  remark: string | null;
  subscribed: boolean | null;
}

@Injectable()
export class IngestRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async ingest(accountId: string, m: InboundMessage, raw: string, policy: WindowPolicy): Promise<IngestResult> {
    const rows: IngestRow[] = await this.ds.query(INGEST_SQL, [
      accountId,
      m.openid,
      m.externalId,
      m.type,
      m.text,
      m.sentAt,
      JSON.stringify(m.payload),
      raw,
      m.window,
      policy.longSeconds,
      policy.shortSeconds,
      m.subscribed ?? null,
      policy.longSends,
      policy.shortSends,
    ]);
    const r = rows[0];
    if (
      !r?.message_id ||
      !r.conversation_id ||
      !r.contact_id ||
      !r.message_created_at ||
      !r.last_message_at ||
      !r.created_at ||
      !r.updated_at ||
      !r.status ||
      !r.openid
    ) {
      return { messageId: null, conversationId: r?.conversation_id ?? null, conversationCreated: false };
    }
    const message = toMessage({
      id: r.message_id,
      conversation_id: r.conversation_id,
      account_id: accountId,
      direction: 'in',
      type: m.type,
      text: m.text,
      payload: m.payload,
      external_id: m.externalId,
      client_message_id: null,
      status: null,
      error_code: null,
      error_reason: null,
      private: false,
      sender_id: null,
      sent_at: m.sentAt,
      created_at: r.message_created_at,
    });
    const conversation = toConversation({
      id: r.conversation_id,
      account_id: accountId,
      contact_id: r.contact_id,
      openid: r.openid,
      remark: r.remark,
      subscribed: r.subscribed ?? true,
      status: r.status,
      assignee_id: r.assignee_id,
      team_id: r.team_id,
      label_ids: r.label_ids ?? [],
      snoozed_until: r.snoozed_until,
      last_message_at: r.last_message_at,
      last_customer_message_at: r.last_customer_message_at,
      window_closes_at: r.window_closes_at,
      sends_left: r.sends_left ?? 0,
      // Per-user unread counts are not known here; the console counts arrivals itself.
      unread: '0',
      lm_type: m.type,
      lm_text: m.text,
      lm_direction: 'in',
      lm_at: m.sentAt,
      created_at: r.created_at,
      updated_at: r.updated_at,
    });
    return {
      messageId: r.message_id,
      conversationId: r.conversation_id,
      conversationCreated: r.created === true,
      message,
      conversation,
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { InboundMessage } from '../channels/wechat/wechat-message.mapper';
import { DATA_SOURCE } from '../database/data-source';

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
  RETURNING id
),
conv AS (
  INSERT INTO conversations (account_id, contact_id, status, last_message_at, last_customer_message_at, window_closes_at, sends_left, event_seq)
  SELECT $1, contact.id, 'open', $6,
         CASE WHEN $9 = 'long' THEN $6 END,
         CASE WHEN $9 = 'long' THEN $6 + make_interval(secs => $10) WHEN $9 = 'short' THEN $6 + make_interval(secs => $11) END,
         CASE WHEN $9 = 'long' THEN $13::int WHEN $9 = 'short' THEN $14::int ELSE 0 END, 1
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
    event_seq = conversations.event_seq + 1,
    updated_at = now()
  RETURNING id, event_seq, (xmax = 0) AS created
),
msg AS (
  INSERT INTO messages (conversation_id, account_id, direction, type, text, payload, raw, external_id, sent_at)
  SELECT conv.id, $1, 'in', $4, $5, $7::jsonb, $8, $3, $6 FROM conv
  ON CONFLICT (account_id, external_id) DO NOTHING
  RETURNING id
),
event AS (
  INSERT INTO conversation_events (conversation_id, account_id, seq, type, message_id, data, created_at)
  SELECT conv.id, $1, conv.event_seq, 'message_in', msg.id,
         jsonb_build_object('opened', conv.created, 'window', $9), $6
    FROM conv, msg
)
SELECT (SELECT id FROM msg) AS message_id, conv.id AS conversation_id, conv.created
  FROM (SELECT 1) one LEFT JOIN conv ON true`;

@Injectable()
export class IngestRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async ingest(accountId: string, m: InboundMessage, raw: string, policy: WindowPolicy): Promise<IngestResult> {
    const rows: Array<{ message_id: string | null; conversation_id: string | null; created: boolean | null }> =
      await this.ds.query(INGEST_SQL, [
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
    if (!r?.message_id)
      return { messageId: null, conversationId: r?.conversation_id ?? null, conversationCreated: false };
    return { messageId: r.message_id, conversationId: r.conversation_id, conversationCreated: r.created === true };
  }
}

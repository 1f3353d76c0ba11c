import type { Client } from 'pg';

/**
 * Bulk seed for the list and report scenarios, in SQL (not one by one): 50 accounts,
 * `conversations` conversations spread over them with activity in the last 30 days, and
 * `messagesPer` messages each, with their conversation events.
 */
export async function seedBulk(
  db: Client,
  conversations: number,
  messagesPer: number,
): Promise<{ accountIds: string[] }> {
  const perAccount = Math.ceil(conversations / 50);
  await db.query(`SET synchronous_commit = off`);
  const accounts = await db.query<{ id: string }>(
    `INSERT INTO channel_accounts (kind, name, app_id, original_id, mode, credentials)
     SELECT 'wechat_oa', 'Seed ' || i, 'wx' || lpad(to_hex(i), 16, '0'), 'gh_seed' || i, 'safe', 'v1:seed:x:x:x'
       FROM generate_series(1, 50) i RETURNING id`,
  );
  const accountIds = accounts.rows.map((r) => r.id);
  await db.query(
    `INSERT INTO contacts (account_id, external_id, first_seen_at, last_seen_at)
     SELECT a, 'oSeed_' || j, now() - interval '60 days', now() FROM unnest($1::uuid[]) a, generate_series(1, $2) j`,
    [accountIds, perAccount],
  );
  await db.query(
    `INSERT INTO conversations (account_id, contact_id, status, last_message_at, last_customer_message_at, event_seq, created_at)
     SELECT k.account_id, k.id, (ARRAY['open','open','pending','resolved'])[1 + (abs(hashtext(k.id::text)) % 4)],
            t.at, t.at - interval '2 minutes', $1, t.at - interval '1 hour'
       FROM contacts k, LATERAL (SELECT now() - (abs(hashtext(k.external_id || k.account_id::text)) % 2592000) * interval '1 second' AS at) t
      WHERE k.external_id LIKE 'oSeed_%'`,
    [messagesPer],
  );
  await db.query(
    `INSERT INTO messages (conversation_id, account_id, direction, type, text, external_id, sent_at, created_at)
     SELECT c.id, c.account_id, CASE WHEN g % 2 = 1 THEN 'in' ELSE 'out' END, 'text', 'seed message ' || g,
            CASE WHEN g % 2 = 1 THEN 'seed:' || c.id || ':' || g END,
            c.created_at + g * interval '3 minutes', c.created_at + g * interval '3 minutes'
       FROM conversations c, generate_series(1, $1) g
      WHERE c.event_seq = $1`,
    [messagesPer],
  );
  await db.query(
    `INSERT INTO conversation_events (conversation_id, account_id, seq, type, message_id, data, created_at)
     SELECT m.conversation_id, m.account_id, row_number() OVER (PARTITION BY m.conversation_id ORDER BY m.id),
            CASE WHEN m.direction = 'in' THEN 'message_in' ELSE 'message_out' END, m.id,
            jsonb_build_object('opened', m.text = 'seed message 1'), m.created_at
       FROM messages m WHERE m.text LIKE 'seed message %'`,
  );
  await db.query(`ANALYZE`);
  return { accountIds };
}

/** First response time over the last 30 days (median, p90, mean), as the report issue defines it. */
export const FIRST_RESPONSE_SQL = `
  WITH episodes AS (
    SELECT e.conversation_id, e.seq, e.created_at AS start_at
      FROM conversation_events e
     WHERE e.type = 'message_in' AND e.data @> '{"opened": true}'
       AND e.created_at >= now() - interval '30 days' AND e.account_id = ANY($1::uuid[])
  ), firsts AS (
    SELECT ep.start_at,
           (SELECT o.created_at FROM conversation_events o
             WHERE o.conversation_id = ep.conversation_id AND o.seq > ep.seq AND o.type = 'message_out'
             ORDER BY o.seq LIMIT 1) AS reply_at
      FROM episodes ep
  )
  SELECT count(reply_at) AS n,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM reply_at - start_at)) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM reply_at - start_at)) AS p90,
         avg(extract(epoch FROM reply_at - start_at)) AS mean
    FROM firsts WHERE reply_at IS NOT NULL`;

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
       FROM conversations c JOIN contacts k ON k.id = c.contact_id, generate_series(1, $1) g
      WHERE k.external_id LIKE 'oSeed_%'`,
    [messagesPer],
  );
  // Each message's event, and for each agent reply a `replied` event carrying the wait (the first
  // of a conversation is its first response), as the server writes them.
  await db.query(
    `INSERT INTO conversation_events (conversation_id, account_id, seq, type, message_id, data, created_at)
     SELECT m.conversation_id, m.account_id, 2 * m.rn, CASE WHEN m.direction = 'in' THEN 'message_in' ELSE 'message_out' END,
            m.id, jsonb_build_object('opened', m.rn = 1), m.created_at
       FROM (SELECT *, row_number() OVER (PARTITION BY conversation_id ORDER BY id) AS rn FROM messages WHERE text LIKE 'seed message %') m
     UNION ALL
     SELECT m.conversation_id, m.account_id, 2 * m.rn + 1, 'replied', m.id,
            jsonb_build_object('seconds', 10 + abs(hashtext(m.id::text)) % 900, 'first', m.rn = 2), m.created_at
       FROM (SELECT *, row_number() OVER (PARTITION BY conversation_id ORDER BY id) AS rn FROM messages WHERE text LIKE 'seed message %') m
      WHERE m.direction = 'out'`,
  );
  await db.query(`ANALYZE`);
  return { accountIds };
}

/**
 * First response time and reply time over the last 30 days (count, median, p90, mean), from the
 * `replied` events the server captures when a human reply answers a waiting customer.
 */
export const FIRST_RESPONSE_SQL = `
  SELECT (data->>'first')::boolean AS first, count(*) AS n,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY (data->>'seconds')::numeric) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY (data->>'seconds')::numeric) AS p90,
         avg((data->>'seconds')::numeric) AS mean
    FROM conversation_events
   WHERE type IN ('replied') AND account_id = ANY($1::uuid[]) AND created_at >= now() - interval '30 days'
   GROUP BY 1`;

/**
 * The bare baseline: the least code that still does the webhook's job, with no framework or ORM.
 * node:http + signature check (+ msg_signature and AES decryption in safe mode) + fast-xml-parser +
 * ONE `INSERT … ON CONFLICT DO NOTHING RETURNING` + a socket.io emit to the account's room.
 * Started as its own process by the bench (env: DATABASE_URL, BASELINE_ACCOUNTS=<json file>, PORT).
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { Pool } from 'pg';
import { Server } from 'socket.io';
import { decodeAesKey, decrypt, verifySignature } from '@inbox/server/channels/wechat/wechat-crypto';

interface BaselineAccount {
  id: string;
  appId: string;
  token: string;
  encodingAesKey: string;
}

const accounts = new Map<string, BaselineAccount & { key: Buffer }>();
for (const a of JSON.parse(readFileSync(process.env.BASELINE_ACCOUNTS ?? '', 'utf8')) as BaselineAccount[]) {
  accounts.set(a.id, { ...a, key: decodeAesKey(a.encodingAesKey) });
}
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const parser = new XMLParser({ parseTagValue: false, processEntities: false, ignoreAttributes: true });

const http = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const m = /^\/webhooks\/wechat\/([0-9a-f-]{36})$/.exec(url.pathname);
  const account = m ? accounts.get(m[1] ?? '') : undefined;
  if (req.method !== 'POST' || !account) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      const q = url.searchParams;
      const ts = q.get('timestamp') ?? '';
      const nonce = q.get('nonce') ?? '';
      if (!verifySignature(q.get('signature') ?? '', account.token, ts, nonce)) {
        res.writeHead(401).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const outer = (parser.parse(body) as { xml: Record<string, string> }).xml;
      const enc = outer.Encrypt ?? '';
      if (!verifySignature(q.get('msg_signature') ?? '', account.token, ts, nonce, enc)) {
        res.writeHead(401).end();
        return;
      }
      const { message, receiveId } = decrypt(enc, account.key);
      if (receiveId !== account.appId) {
        res.writeHead(400).end();
        return;
      }
      const x = (parser.parse(message) as { xml: Record<string, string> }).xml;
      const r = await pool.query(
        `INSERT INTO bench_baseline_messages (account_id, external_id, openid, type, text, payload)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, external_id) DO NOTHING RETURNING id, created_at`,
        [
          account.id,
          x.MsgId ?? `${x.FromUserName}:${x.CreateTime}`,
          x.FromUserName,
          x.MsgType,
          x.Content ?? null,
          JSON.stringify(x),
        ],
      );
      const row = r.rows[0] as { id: string; created_at: Date } | undefined;
      if (row)
        io.to(`account:${account.id}`).emit('message.created', {
          message: { id: row.id, accountId: account.id, text: x.Content, type: x.MsgType },
        });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
});

const io = new Server(http, { path: '/socket.io', transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  const ids = String(socket.handshake.query.accounts ?? '')
    .split(',')
    .filter(Boolean);
  void socket.join(ids.map((id) => `account:${id}`));
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = http.address();
  console.log(`baseline listening on ${typeof addr === 'object' && addr ? addr.port : ''}`);
});
process.on('SIGTERM', () => {
  void io.close();
  void pool.end().then(() => process.exit(0));
});

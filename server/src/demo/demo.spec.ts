import type { Conversation, Page, SandboxCustomer, SandboxInbox } from '@inbox/shared';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '../../test/app';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { loadConfig } from '../config/config';
import { startServer, type RunningServer } from '../server';

/** `npm start` as it runs (startServer: migrations, first admin, listen, demo) on a test database. */
function start(db: TestDatabase, env: Record<string, string>, lines: string[]): Promise<RunningServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'inbox-demo-data-')),
    APP_SECRET_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer(config, (m) => lines.push(m));
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const count = async (s: RunningServer, sql: string): Promise<number> =>
  Number(((await s.dataSource.query(sql)) as Array<{ n: string }>)[0]?.n);

describe('demo set-up on first start (sandbox on)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('DEMO=1 creates three accounts (one per mode), two agents and a supervisor, and a little history — once', async () => {
    const lines: string[] = [];
    const first = await start(db, { SANDBOX: '1', DEMO: '1' }, lines);
    let snapshot: Record<string, number>;
    try {
      expect(first.demo?.kind).toBe('created');
      const accounts: Array<{ id: string; mode: string }> = await first.dataSource.query(
        `SELECT id, mode FROM channel_accounts ORDER BY mode`,
      );
      expect(accounts.map((a) => a.mode)).toEqual(['compatible', 'plaintext', 'safe']);
      const members: Array<{ account_id: string; roles: string[] }> = await first.dataSource.query(
        `SELECT m.account_id, array_agg(u.role ORDER BY u.role) AS roles
           FROM account_members m JOIN users u ON u.id = m.user_id GROUP BY m.account_id`,
      );
      expect(members).toHaveLength(3);
      for (const m of members) expect(m.roles).toEqual(['agent', 'agent', 'supervisor']);
      // Labels, the agents' team and canned responses, so those screens show something.
      expect(await count(first, `SELECT count(*) AS n FROM labels`)).toBe(3);
      expect(await count(first, `SELECT count(*) AS n FROM team_members`)).toBe(2);
      expect(await count(first, `SELECT count(*) AS n FROM canned_responses WHERE account_id IS NULL`)).toBe(3);

      // The passwords are printed once, and they work.
      const printed = lines.join('\n');
      expect(printed).toContain('agent1@demo.example.com');
      expect(printed).toContain('demo-agent-1');
      expect(printed).toContain('demo-supervisor');
      const url = `http://127.0.0.1:${first.port}`;
      const agent = new HttpClient(url);
      const login = await agent.request('POST', '/api/auth/login', {
        email: 'agent1@demo.example.com',
        password: 'demo-agent-1',
      });
      expect(login.status).toBe(200);

      // History came in through the real callback path of every account (safe mode included).
      const page = await agent.request<Page<Conversation>>('GET', '/api/conversations?limit=100');
      expect(page.body.items.length).toBeGreaterThanOrEqual(6);
      expect(new Set(page.body.items.map((c) => c.accountId))).toEqual(new Set(accounts.map((a) => a.id)));
      const safe = accounts.find((a) => a.mode === 'safe')!;
      expect(
        await count(first, `SELECT count(*) AS n FROM messages WHERE account_id = '${safe.id}' AND direction = 'in'`),
      ).toBeGreaterThanOrEqual(3);

      // A couple of agents' replies went out through the sandbox and reached the customers' phones.
      await eventually(
        async () =>
          (await count(first, `SELECT count(*) AS n FROM messages WHERE direction = 'out' AND status = 'sent'`)) >= 2
            ? true
            : undefined,
        'the demo replies to be sent',
      );
      const replied = await first.dataSource.query(
        `SELECT m.account_id, c.external_id AS openid, m.text FROM messages m
           JOIN conversations conv ON conv.id = m.conversation_id JOIN contacts c ON c.id = conv.contact_id
          WHERE m.direction = 'out' AND m.status = 'sent' ORDER BY m.id LIMIT 1`,
      );
      const { account_id, openid, text } = replied[0] as { account_id: string; openid: string; text: string };
      const seen = await agent.request<SandboxInbox>(
        'GET',
        `/api/sandbox/accounts/${account_id}/customers/${openid}/inbox`,
      );
      expect(seen.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'received', text })]));
      const customers = await agent.request<SandboxCustomer[]>('GET', `/api/sandbox/accounts/${account_id}/customers`);
      expect(customers.body.length).toBeGreaterThanOrEqual(2);

      snapshot = {
        accounts: await count(first, `SELECT count(*) AS n FROM channel_accounts`),
        users: await count(first, `SELECT count(*) AS n FROM users`),
        conversations: await count(first, `SELECT count(*) AS n FROM conversations`),
        messages: await count(first, `SELECT count(*) AS n FROM messages`),
      };
    } finally {
      await first.close();
    }

    const again: string[] = [];
    const second = await start(db, { SANDBOX: '1', DEMO: '1' }, again);
    try {
      expect(second.demo).toEqual({ kind: 'existing' });
      expect({
        accounts: await count(second, `SELECT count(*) AS n FROM channel_accounts`),
        users: await count(second, `SELECT count(*) AS n FROM users`),
        conversations: await count(second, `SELECT count(*) AS n FROM conversations`),
        messages: await count(second, `SELECT count(*) AS n FROM messages`),
      }).toEqual(snapshot);
      expect(again.join('\n')).not.toContain('demo-agent-1');
      // The customers the inbox knows come back into the sandbox after the restart.
      const agent = new HttpClient(`http://127.0.0.1:${second.port}`);
      await agent.request('POST', '/api/auth/login', { email: 'agent1@demo.example.com', password: 'demo-agent-1' });
      const ids: Array<{ id: string }> = await second.dataSource.query(`SELECT id FROM channel_accounts`);
      let customers = 0;
      for (const { id } of ids) {
        const res = await agent.request<SandboxCustomer[]>('GET', `/api/sandbox/accounts/${id}/customers`);
        customers += res.body.length;
      }
      expect(customers).toBe(6);
    } finally {
      await second.close();
    }
  });
});

describe('first start with the sandbox on, nothing linked, DEMO unset', () => {
  it('prints the hint and creates nothing', async () => {
    const db = await createTestDatabase();
    const lines: string[] = [];
    const s = await start(db, { SANDBOX: '1' }, lines);
    try {
      expect(s.demo).toEqual({ kind: 'hint' });
      expect(lines.join('\n')).toContain('Run with DEMO=1 to create demo accounts');
      expect(await count(s, `SELECT count(*) AS n FROM channel_accounts`)).toBe(0);
    } finally {
      await s.close();
      await db.drop();
    }
  });

  it('with the sandbox off there is no demo and no hint', async () => {
    const db = await createTestDatabase();
    const lines: string[] = [];
    const s = await start(db, { SANDBOX: '0', DEMO: '1' }, lines);
    try {
      expect(s.demo).toBeUndefined();
      expect(lines.join('\n')).not.toContain('DEMO=1');
      expect(await count(s, `SELECT count(*) AS n FROM channel_accounts`)).toBe(0);
    } finally {
      await s.close();
      await db.drop();
    }
  });
});

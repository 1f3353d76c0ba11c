import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_EVENTS, type Conversation, type Message, type Page, type ServerEventName } from '@inbox/shared';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../../test/app';
import { accountInput, newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { Browser, loginAs } from '../../test/identity';
import { connectSocket, expectRefused } from '../../test/realtime';
import { AccountsService } from '../accounts/accounts.service';
import { sha1Signature } from '../channels/wechat/wechat-crypto';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';
import { InboxEvents } from '../events/inbox-events';
import { RealtimeGateway } from '../realtime/realtime.gateway';

/**
 * The authorization matrix: every REST route the running server has (read from Fastify's router)
 * and every socket event (read from the gateway's live sockets and the shared event list), for
 * each kind of caller, with object ids from account A. A route or event without an entry below
 * fails the test, so a new one forces a decision.
 */

const WHO = ['admin', 'manager', 'supervisorA', 'agentA', 'agentB', 'disabled', 'anonymous'] as const;
type Who = (typeof WHO)[number];
const SIGNED_IN: Who[] = ['admin', 'manager', 'supervisorA', 'agentA', 'agentB'];
const SEES_A: Who[] = ['admin', 'manager', 'supervisorA', 'agentA'];
const ADMIN: Who[] = ['admin'];
const SUPERVISORS: Who[] = ['admin', 'supervisorA'];

interface Ctx {
  t: TestApp;
  a: MadeAccount;
  b: MadeAccount;
  users: Record<Exclude<Who, 'anonymous'>, MadeUser>;
  victim: MadeUser;
  loginTarget: MadeUser;
  conversationA: Conversation;
  conversationB: Conversation;
  spareSessionOf(who: Who): Promise<string>;
}

interface Case {
  /** Who may pass; everyone else must be refused (401, 403 or a 404 that hides the object). */
  allow: Who[] | 'everyone';
  /** The concrete path (params filled with account A's objects); default: the route itself. */
  path?: (c: Ctx, who: Who) => string | Promise<string>;
  body?: (c: Ctx, who: Who) => unknown;
  /** Use a new session of the caller (the route ends it). */
  fresh?: boolean;
  /** A public static route whose 404 is the file's answer, not a refusal. */
  notFoundIsAnswer?: boolean;
  /** Data of account A that a caller who may not see A must not get in an allowed answer. */
  mustNotShow?: (c: Ctx) => string[];
}

const conv =
  (suffix = '') =>
  (c: Ctx) =>
    `/api/conversations/${c.conversationA.id}${suffix}`;
const account =
  (suffix = '') =>
  (c: Ctx) =>
    `/api/accounts/${c.a.id}${suffix}`;
const victim =
  (suffix = '') =>
  (c: Ctx) =>
    `/api/users/${c.victim.id}${suffix}`;
/** A new team or label, for a route that changes or deletes one. */
const throwaway = async (c: Ctx, table: 'teams' | 'labels'): Promise<string> => {
  const rows: { id: string }[] = await c.t.ds.query(`INSERT INTO ${table} (name) VALUES ($1) RETURNING id`, [
    `Matrix ${randomBytes(6).toString('hex')}`,
  ]);
  return rows[0]!.id;
};
/** A team whose members are A's supervisor and agent (made once). */
let teamA: string | undefined;
const teamOfA = async (c: Ctx): Promise<string> => {
  if (teamA) return teamA;
  const id = await throwaway(c, 'teams');
  await c.t.ds.query(`INSERT INTO team_members (team_id, user_id) VALUES ($1, $2), ($1, $3)`, [
    id,
    c.users.supervisorA.id,
    c.users.agentA.id,
  ]);
  return (teamA = id);
};
/** A canned response of account A: one made once for reading and changing, or a new one for a route that deletes it. */
const newCannedOfA = async (c: Ctx): Promise<string> => {
  const rows: { id: string }[] = await c.t.ds.query(
    `INSERT INTO canned_responses (account_id, shortcut, text) VALUES ($1, $2, 'matrix canned') RETURNING id`,
    [c.a.id, `m-${randomBytes(6).toString('hex')}`],
  );
  return rows[0]!.id;
};
let cannedA: string | undefined;
const cannedOfA = async (c: Ctx): Promise<string> => (cannedA ??= await newCannedOfA(c));
/** An image uploaded to account A (a row and its file, as the uploads service stores them). */
const MATRIX_PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const uploadOfA = async (c: Ctx): Promise<string> => {
  const rows: { id: string }[] = await c.t.ds.query(
    `INSERT INTO uploads (account_id, kind, file_name, content_type, size) VALUES ($1, 'image', 'm.png', 'image/png', $2)
     RETURNING id`,
    [c.a.id, MATRIX_PNG.length],
  );
  const id = rows[0]!.id;
  mkdirSync(join(c.t.config.dataDir, 'uploads', c.a.id), { recursive: true });
  writeFileSync(join(c.t.config.dataDir, 'uploads', c.a.id, id), MATRIX_PNG);
  return id;
};
const imageForm = (): FormData => {
  const f = new FormData();
  f.append('file', new Blob([new Uint8Array(MATRIX_PNG)], { type: 'image/png' }), 'matrix.png');
  return f;
};
const passwordOf = (c: Ctx, who: Who) => (who === 'anonymous' ? 'x' : c.users[who].password);

/** The expectations: one entry per `METHOD /path` of the router (HEAD follows GET). */
const EXPECTATIONS: Record<string, Case> = {
  // Public: health, API docs, login, the console, and the WeChat callbacks (signed by WeChat, not by a session).
  'GET /api/health': { allow: 'everyone' },
  'GET /api/ready': { allow: 'everyone' },
  'GET /api/docs': { allow: 'everyone' },
  'GET /api/docs/': { allow: 'everyone' },
  'GET /api/docs/swagger-ui-init.js': { allow: 'everyone' },
  'GET /api/docs/docs/swagger-ui-init.js': { allow: 'everyone' },
  'GET /api/docs/*': { allow: 'everyone', path: () => '/api/docs/swagger-ui.css' },
  'GET /api/docs/index.html': { allow: 'everyone' },
  // Served by the docs' static handler, which answers 404 when the file is not shipped.
  'GET /api/docs/LICENSE': { allow: 'everyone', notFoundIsAnswer: true },
  'GET /api/docs-json': { allow: 'everyone' },
  'GET /api/docs-yaml': { allow: 'everyone' },
  'GET *': { allow: 'everyone', path: () => '/' },
  'POST /api/auth/login': {
    allow: 'everyone',
    body: (c) => ({ email: c.loginTarget.email, password: c.loginTarget.password }),
  },
  'GET /webhooks/wechat/:accountId': {
    allow: 'everyone',
    path: (c) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(4).toString('hex');
      const signature = sha1Signature(c.a.token, timestamp, nonce);
      return `/webhooks/wechat/${c.a.id}?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=e`;
    },
  },
  'POST /webhooks/wechat/:accountId': {
    allow: 'everyone',
    path: (c) => pushFor(c).path,
    body: (c) => pushFor(c).body,
  },

  // Any signed-in user, about themselves.
  'POST /api/auth/logout': { allow: SIGNED_IN, fresh: true },
  'GET /api/auth/me': { allow: SIGNED_IN },
  'POST /api/auth/password': {
    allow: SIGNED_IN,
    body: (c, who) => ({ currentPassword: passwordOf(c, who), newPassword: passwordOf(c, who) }),
  },
  'GET /api/auth/sessions': { allow: SIGNED_IN },
  'POST /api/auth/sessions/revoke-others': { allow: SIGNED_IN },
  // Only one's own session: here agent A's, so only agent A may revoke it (admins use DELETE /users/:id/sessions).
  'DELETE /api/auth/sessions/:id': {
    allow: ['agentA'],
    path: async (c) => `/api/auth/sessions/${await c.spareSessionOf('agentA')}`,
  },
  'POST /api/auth/totp/setup': { allow: SIGNED_IN },
  'POST /api/auth/totp/enable': { allow: SIGNED_IN, body: () => ({ code: '000000' }) },
  'POST /api/auth/totp/disable': { allow: SIGNED_IN, body: (c, who) => ({ password: passwordOf(c, who) }) },
  'POST /api/auth/totp/recovery-codes': {
    allow: SIGNED_IN,
    body: (c, who) => ({ password: passwordOf(c, who) }),
  },

  // Accounts: everyone signed in lists what they may see; one account only for those who see it; changes: admin.
  'GET /api/accounts': { allow: SIGNED_IN, mustNotShow: (c) => [c.a.id] },
  'POST /api/accounts': { allow: ADMIN, body: () => accountInput('safe') },
  'GET /api/accounts/:id': { allow: SEES_A, path: account() },
  'PATCH /api/accounts/:id': { allow: ADMIN, path: account(), body: (c) => ({ name: c.a.name }) },
  // The allowed admin deletes a throwaway account, not A.
  'DELETE /api/accounts/:id': {
    allow: ADMIN,
    path: async (c, who) => `/api/accounts/${who === 'admin' ? (await newAccount(c.t.app)).id : c.a.id}`,
  },
  'GET /api/accounts/:id/members': { allow: ADMIN, path: account('/members') },
  'PUT /api/accounts/:id/members': {
    allow: ADMIN,
    path: account('/members'),
    body: (c) => ({
      userIds: [c.users.supervisorA.id, c.users.agentA.id, c.users.disabled.id, c.victim.id],
    }),
  },

  // Users, security settings, audit: admin only.
  'GET /api/users': { allow: ADMIN },
  'GET /api/colleagues': { allow: SIGNED_IN },
  'POST /api/users': {
    allow: ADMIN,
    body: () => ({
      email: `made-${randomBytes(4).toString('hex')}@example.com`,
      name: 'Made',
      password: `pw-${randomBytes(8).toString('hex')}`,
      role: 'agent',
    }),
  },
  'PATCH /api/users/:id': { allow: ADMIN, path: victim(), body: () => ({ name: 'Victim' }) },
  'POST /api/users/:id/password': {
    allow: ADMIN,
    path: victim('/password'),
    body: () => ({ password: `reset-${randomBytes(8).toString('hex')}` }),
  },
  'DELETE /api/users/:id/sessions': { allow: ADMIN, path: victim('/sessions') },
  'DELETE /api/users/:id/totp': { allow: ADMIN, path: victim('/totp') },
  'GET /api/settings/security': { allow: ADMIN },
  'PUT /api/settings/security': { allow: ADMIN, body: () => ({ totpRequiredRoles: [], maxSessionsPerUser: null }) },
  'GET /api/audit': { allow: ADMIN },

  // Teams and labels: everyone signed in reads them; supervisors and admins change them (each allowed
  // caller changes or deletes a throwaway one).
  // A team with members of A: a caller who does not see A sees none of them among its members.
  'GET /api/teams': {
    allow: SIGNED_IN,
    path: async (c) => (await teamOfA(c), '/api/teams'),
    mustNotShow: (c) => [c.users.agentA.id, c.users.supervisorA.id],
  },
  'POST /api/teams': { allow: SUPERVISORS, body: () => ({ name: `Matrix ${randomBytes(4).toString('hex')}` }) },
  'PATCH /api/teams/:id': {
    allow: SUPERVISORS,
    path: async (c) => `/api/teams/${await throwaway(c, 'teams')}`,
    body: () => ({ name: `Matrix ${randomBytes(4).toString('hex')}` }),
  },
  'DELETE /api/teams/:id': { allow: SUPERVISORS, path: async (c) => `/api/teams/${await throwaway(c, 'teams')}` },
  'PUT /api/teams/:id/members': {
    allow: SUPERVISORS,
    path: async (c) => `/api/teams/${await throwaway(c, 'teams')}/members`,
    body: (c) => ({ userIds: [c.users.agentA.id] }),
  },
  'GET /api/labels': { allow: SIGNED_IN },
  'POST /api/labels': { allow: SUPERVISORS, body: () => ({ name: `Matrix ${randomBytes(4).toString('hex')}` }) },
  'PATCH /api/labels/:id': {
    allow: SUPERVISORS,
    path: async (c) => `/api/labels/${await throwaway(c, 'labels')}`,
    body: () => ({ name: `Matrix ${randomBytes(4).toString('hex')}`, color: '#123abc' }),
  },
  'DELETE /api/labels/:id': { allow: SUPERVISORS, path: async (c) => `/api/labels/${await throwaway(c, 'labels')}` },

  // Canned responses: everyone signed in reads the global ones and those of the accounts they see (never A's
  // unless they see A); supervisors and admins write them (a supervisor only global ones or of accounts they see).
  'GET /api/canned-responses': {
    allow: SIGNED_IN,
    path: async (c) => (await cannedOfA(c), '/api/canned-responses'),
    mustNotShow: (c) => [c.a.id],
  },
  'POST /api/canned-responses': {
    allow: SUPERVISORS,
    body: (c) => ({ accountId: c.a.id, shortcut: `m-${randomBytes(6).toString('hex')}`, text: 'matrix canned' }),
  },
  'PATCH /api/canned-responses/:id': {
    allow: SUPERVISORS,
    path: async (c) => `/api/canned-responses/${await cannedOfA(c)}`,
    body: () => ({ text: 'matrix canned, edited' }),
  },
  'DELETE /api/canned-responses/:id': {
    allow: SUPERVISORS,
    path: async (c) => `/api/canned-responses/${await newCannedOfA(c)}`,
  },

  // Conversations: lists are filtered; a conversation of A is only for those who see A (others: 404).
  'GET /api/conversations': { allow: SIGNED_IN, mustNotShow: (c) => [c.conversationA.id, c.a.id] },
  'GET /api/conversations/counts': { allow: SIGNED_IN, mustNotShow: (c) => [c.a.id] },
  'GET /api/conversations/:id': { allow: SEES_A, path: conv() },
  'PATCH /api/conversations/:id': { allow: SEES_A, path: conv(), body: () => ({ status: 'open' }) },
  'GET /api/conversations/:id/messages': { allow: SEES_A, path: conv('/messages') },
  // A customer's media file of account A (stored as the media worker stores it).
  'GET /api/media/:messageId': {
    allow: SEES_A,
    path: async (c) => {
      const rows: { id: string }[] = await c.t.ds.query(
        `SELECT id FROM messages WHERE conversation_id = $1 AND direction = 'in' ORDER BY id LIMIT 1`,
        [c.conversationA.id],
      );
      const id = rows[0]?.id ?? '0';
      const dir = join(c.t.config.dataDir, 'media', c.a.id);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, id), 'matrix media');
      writeFileSync(join(dir, `${id}.type`), 'text/plain');
      return `/api/media/${id}`;
    },
  },
  'POST /api/conversations/:id/messages': {
    allow: SEES_A,
    path: conv('/messages'),
    body: () => ({ type: 'text', text: 'matrix reply', clientMessageId: `matrix-${randomBytes(6).toString('hex')}` }),
  },
  // An image to reply with (multipart), uploaded to a conversation of A; served to those who see A.
  'POST /api/conversations/:id/uploads': { allow: SEES_A, path: conv('/uploads'), body: () => imageForm() },
  'GET /api/uploads/:id': { allow: SEES_A, path: async (c) => `/api/uploads/${await uploadOfA(c)}` },
  'POST /api/conversations/:id/notes': { allow: SEES_A, path: conv('/notes'), body: () => ({ text: 'matrix note' }) },
  'PUT /api/conversations/:id/assignee': { allow: SEES_A, path: conv('/assignee'), body: () => ({ userId: null }) },
  'PUT /api/conversations/:id/team': { allow: SEES_A, path: conv('/team'), body: () => ({ teamId: null }) },
  'PUT /api/conversations/:id/labels': { allow: SEES_A, path: conv('/labels'), body: () => ({ labelIds: [] }) },
  'POST /api/conversations/:id/read': { allow: SEES_A, path: conv('/read') },
  // Online colleagues: only users who share an account with the caller (none are connected here).
  'GET /api/presence': { allow: SIGNED_IN, mustNotShow: (c) => [c.users.agentA.id, c.users.supervisorA.id] },
  'GET /api/sync': {
    allow: SIGNED_IN,
    path: () => '/api/sync?since=0',
    mustNotShow: (c) => [c.conversationA.id, c.a.id],
  },
};

/** Client -> server socket events: who may use them once connected. */
// Typing: answered ok only when the sender may see the conversation (account A's here).
const CLIENT_EVENTS: Record<string, Who[]> = { ping: SIGNED_IN, typing: SEES_A };
/** The arguments a client event is sent with before its ack (default: none). */
const CLIENT_EVENT_ARGS: Record<string, (c: Ctx) => unknown[]> = {
  typing: (c) => [{ conversationId: c.conversationA.id, typing: true }],
};

/** Server -> client events about account A: who must receive them (everyone else must not). */
const SERVER_EVENT_RECEIVERS: Record<ServerEventName, Who[]> = {
  'message.created': SEES_A,
  'message.updated': SEES_A,
  'conversation.created': SEES_A,
  'conversation.updated': SEES_A,
  // Only the sockets of the revoked session (a spare one of agent A here): no principal's main socket.
  'session.revoked': [],
  // Typing in A's conversation (every caller who sees A typed there, above); presence of a newcomer to A.
  typing: SEES_A,
  presence: SEES_A,
};

let pushSeq = 0;
function pushFor(c: Ctx): { path: string; body: string } {
  const p = buildPush(c.a, {
    FromUserName: 'oMatrixWebhook',
    CreateTime: Math.floor(Date.now() / 1000),
    MsgType: 'text',
    Content: 'webhook route check',
    MsgId: `${8300000000000000000n + BigInt(++pushSeq)}`,
  });
  const u = new URL(pushUrl('http://x', c.a.id, p.query));
  return { path: u.pathname + u.search, body: p.body };
}

/** `METHOD path` of every route in Fastify's router (its printRoutes tree, flattened). */
function routesOf(app: NestFastifyApplication): Array<{ method: string; path: string }> {
  const tree = app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out: Array<{ method: string; path: string }> = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    stack.length = depth;
    stack[depth] = m[2] ?? '';
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) out.push({ method, path: stack.join('') });
  }
  return out;
}

/** Refused: not signed in, not allowed, or the object is hidden as missing. */
function isDenial(status: number, body: unknown): boolean {
  if (status === 404) return true;
  const code = (body as { code?: string } | undefined)?.code;
  if (status === 401) return code === undefined || code === 'auth/unauthenticated';
  if (status === 403) return code === undefined || ['auth/forbidden', 'auth/totp_enrolment_required'].includes(code);
  return false;
}

describe('authorization matrix: every REST route and socket event × every kind of caller', () => {
  let t: TestApp;
  let c: Ctx;
  const browsers = {} as Record<Who, Browser>;
  const report = { rest: 0, socket: 0, unexpectedAllows: [] as string[], unexpectedDenies: [] as string[] };

  beforeAll(async () => {
    // Replies are queued for delivery: point the sender at a closed local port, never the internet.
    t = await startTestApp({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
    const a = await newAccount(t.app, 'safe');
    const b = await newAccount(t.app, 'plaintext');
    const users = {
      admin: await newUser(t.ds, { role: 'admin' }),
      manager: await newUser(t.ds, { role: 'manager' }),
      supervisorA: await newUser(t.ds, { role: 'supervisor' }),
      agentA: await newUser(t.ds, { role: 'agent' }),
      agentB: await newUser(t.ds, { role: 'agent' }),
      disabled: await newUser(t.ds, { role: 'agent' }),
    };
    const victimUser = await newUser(t.ds, { role: 'agent' });
    const accounts = t.app.get(AccountsService);
    await accounts.setMembers(a.id, [users.supervisorA.id, users.agentA.id, users.disabled.id, victimUser.id]);
    await accounts.setMembers(b.id, [users.agentB.id]);
    for (const [account, openid] of [
      [a, 'oMatrixA'],
      [b, 'oMatrixB'],
    ] as const) {
      const p = buildPush(account, {
        FromUserName: openid,
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'text',
        Content: `hello ${openid}`,
        MsgId: `${8200000000000000000n + BigInt(++pushSeq)}`,
      });
      const res = await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body });
      expect(await res.text()).toBe('success');
    }
    for (const who of WHO) {
      browsers[who] = who === 'anonymous' ? new Browser(t.url) : await loginAs(t.url, users[who]);
    }
    // Disabled after logging in: the session row is still there, the user must still be refused.
    await t.ds.query('UPDATE users SET disabled = true WHERE id = $1', [users.disabled.id]);
    const list = await browsers.admin.request<Page<Conversation>>('GET', '/api/conversations?limit=100');
    const find = (openid: string) => list.body.items.find((x) => x.contact.openid === openid)!;
    c = {
      t,
      a,
      b,
      users,
      victim: victimUser,
      loginTarget: await newUser(t.ds, { role: 'agent' }),
      conversationA: find('oMatrixA'),
      conversationB: find('oMatrixB'),
      spareSessionOf: async (who) => {
        if (who === 'anonymous') throw new Error('anonymous has no session');
        const spare = await loginAs(t.url, users[who]);
        const sessions = await spare.request<Array<{ id: string; current: boolean }>>('GET', '/api/auth/sessions');
        return sessions.body.find((s) => s.current)!.id;
      },
    };
    expect(c.conversationA.accountId).toBe(a.id);
  });
  afterAll(async () => {
    console.log(
      `authorization matrix: ${report.rest + report.socket} checks (${report.rest} REST, ${report.socket} socket), ` +
        `${report.unexpectedAllows.length} unexpected allows, ` +
        `${report.unexpectedDenies.length} unexpected denies`,
    );
    await t.close();
  });

  const record = (what: string, expected: boolean, allowed: boolean) => {
    if (/^(connect|emit|receive) /.test(what)) report.socket++;
    else report.rest++;
    if (allowed && !expected) report.unexpectedAllows.push(what);
    if (!allowed && expected) report.unexpectedDenies.push(what);
  };

  it('has an expectation for every REST route, and each caller gets exactly what it says', async () => {
    const routes = routesOf(t.app);
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes
      .filter((r) => EXPECTATIONS[`${r.method === 'HEAD' ? 'GET' : r.method} ${r.path}`] === undefined)
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    const present = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const stale = Object.keys(EXPECTATIONS).filter((k) => !present.has(k) && k !== 'GET *');
    expect(stale).toEqual([]);

    const failures: string[] = [];
    for (const route of routes) {
      const key = `${route.method === 'HEAD' ? 'GET' : route.method} ${route.path}`;
      const spec = EXPECTATIONS[key]!;
      const allowed = spec.allow === 'everyone' ? [...WHO] : spec.allow;
      // Refusals first, so an allowed destructive call cannot change what the others see.
      const order = [...WHO.filter((w) => !allowed.includes(w)), ...WHO.filter((w) => allowed.includes(w))];
      for (const who of order) {
        const path = spec.path ? await spec.path(c, who) : route.path;
        const body = route.method === 'GET' || route.method === 'HEAD' ? undefined : (spec.body?.(c, who) ?? {});
        // A copy of the caller's browser: a cookie set by the answer (login) must not stick to the caller.
        let client = new Browser(t.url, browsers[who].ip);
        client.cookie = browsers[who].cookie;
        if (spec.fresh && SIGNED_IN.includes(who)) {
          client = await loginAs(t.url, c.users[who as Exclude<Who, 'anonymous'>]);
        }
        const r =
          typeof body === 'string' || body instanceof FormData
            ? await rawPost(client, path, body)
            : await client.request(route.method, path, body);
        const label = `${route.method} ${route.path} as ${who} -> ${r.status}`;
        const expected = allowed.includes(who);
        let passed = !isDenial(r.status, r.body) || (spec.notFoundIsAnswer === true && r.status === 404);
        if (r.status >= 500) failures.push(`${label}: server error ${JSON.stringify(r.body)}`);
        if (passed && expected && spec.mustNotShow && !SEES_A.includes(who)) {
          const text = String(JSON.stringify(r.body));
          const leaked = spec.mustNotShow(c).filter((id) => text.includes(id));
          if (leaked.length) {
            failures.push(`${label}: shows account A's data ${leaked.join(', ')}`);
            report.unexpectedAllows.push(`${label} (data of A)`);
          }
        }
        if (!expected && passed)
          failures.push(`${label}: UNEXPECTED ALLOW ${String(JSON.stringify(r.body)).slice(0, 200)}`);
        if (expected && !passed) failures.push(`${label}: unexpected deny ${String(JSON.stringify(r.body))}`);
        passed = passed && r.status < 500;
        record(label, expected, passed);
      }
    }
    expect(failures).toEqual([]);
    expect(report.unexpectedAllows).toEqual([]);
  });

  it('has an expectation for every socket event; only callers who may see A connect and get A', async () => {
    const sockets = {} as Record<Who, Awaited<ReturnType<typeof connectSocket>> | undefined>;
    try {
      for (const who of WHO) {
        const cookie = browsers[who].cookie;
        if (SIGNED_IN.includes(who)) {
          sockets[who] = await connectSocket(t.url, cookie);
          record(`connect as ${who}`, true, true);
        } else {
          const reason = await expectRefused(t.url, cookie);
          record(`connect as ${who}`, false, reason !== 'auth/unauthenticated');
        }
      }

      // Client -> server: the events the gateway listens to on a live socket.
      const gateway = t.app.get(RealtimeGateway);
      const serverSocket = gateway.server.sockets.sockets.get(sockets.admin!.socket.id ?? '');
      const reserved = new Set(['disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);
      const clientEvents = (serverSocket?.eventNames() ?? []).map(String).filter((e) => !reserved.has(e));
      expect(clientEvents.length).toBeGreaterThan(0);
      expect(clientEvents.filter((e) => CLIENT_EVENTS[e] === undefined)).toEqual([]);
      for (const event of clientEvents) {
        for (const who of WHO) {
          const s = sockets[who];
          const answered = s
            ? await new Promise<boolean>((resolve) => {
                s.socket
                  .timeout(2000)
                  .emit(event, ...(CLIENT_EVENT_ARGS[event]?.(c) ?? []), (err: unknown, r?: { ok?: boolean }) =>
                    resolve(!err && r?.ok !== false),
                  );
              })
            : false;
          record(`emit ${event} as ${who}`, CLIENT_EVENTS[event]!.includes(who), answered);
        }
      }

      // Server -> client: produce each event about account A, then one about B as a fence.
      expect(Object.keys(SERVER_EVENT_RECEIVERS).sort()).toEqual([...SERVER_EVENTS].sort());
      const spare = await loginAs(t.url, c.users.agentA);
      const spareSocket = await connectSocket(t.url, spare.cookie);
      const p = buildPush(c.a, {
        FromUserName: 'oMatrixLive',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'text',
        Content: 'live A',
        MsgId: `${8400000000000000000n + BigInt(++pushSeq)}`,
      });
      expect(await (await fetch(pushUrl(t.url, c.a.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
        'success',
      );
      await browsers.admin.request('PATCH', `/api/conversations/${c.conversationA.id}`, { status: 'pending' });
      const messages = await browsers.admin.request<Page<Message>>(
        'GET',
        `/api/conversations/${c.conversationA.id}/messages`,
      );
      const m = messages.body.items[0]!;
      t.app.get(InboxEvents).emit('message.updated', {
        messageId: m.id,
        accountId: c.a.id,
        conversationId: c.conversationA.id,
      });
      const spareId = (
        await spare.request<Array<{ id: string; current: boolean }>>('GET', '/api/auth/sessions')
      ).body.find((s) => s.current)!.id;
      await browsers.agentA.request('DELETE', `/api/auth/sessions/${spareId}`);
      await spareSocket.waitFor((log) => log.some((e) => e.event === 'session.revoked'));
      // A newcomer to A comes online: their first socket is news to everyone who sees A.
      const newcomer = await newUser(t.ds, { role: 'agent' });
      const accounts = t.app.get(AccountsService);
      await accounts.setMembers(c.a.id, [...(await accounts.getMembers(c.a.id)).userIds, newcomer.id]);
      const newcomerSocket = await connectSocket(t.url, (await loginAs(t.url, newcomer)).cookie);
      // What makes an event one about A: the account's id, or its conversation (typing), or its newcomer (presence).
      const markOfA: Record<string, string> = { typing: c.conversationA.id, presence: newcomer.id };
      const aboutA = (e: { event: string; payload: unknown }) =>
        e.event === 'session.revoked' || JSON.stringify(e.payload).includes(markOfA[e.event] ?? c.a.id);
      const aEvents = Object.entries(SERVER_EVENT_RECEIVERS)
        .filter(([, receivers]) => receivers.length > 0)
        .map(([e]) => e);
      for (const who of SEES_A) {
        await sockets[who]!.waitFor((log) => aEvents.every((e) => log.some((x) => x.event === e && aboutA(x))));
      }
      const fence = buildPush(c.b, {
        FromUserName: 'oMatrixFence',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'text',
        Content: 'fence B',
        MsgId: `${8400000000000000000n + BigInt(++pushSeq)}`,
      });
      await fetch(pushUrl(t.url, c.b.id, fence.query), { method: 'POST', body: fence.body });
      await sockets.agentB!.waitFor((log) => log.some((e) => JSON.stringify(e.payload).includes('fence B')));

      for (const [event, receivers] of Object.entries(SERVER_EVENT_RECEIVERS)) {
        for (const who of WHO) {
          const log = sockets[who]?.events ?? [];
          const gotA = log.some((e) => e.event === event && aboutA(e));
          record(`receive ${event} as ${who}`, receivers.includes(who), gotA);
        }
      }
      newcomerSocket.socket.close();
      expect(JSON.stringify(sockets.agentB!.events)).not.toContain(c.a.id);
      expect(report.unexpectedAllows).toEqual([]);
      expect(report.unexpectedDenies).toEqual([]);
    } finally {
      for (const s of Object.values(sockets)) s?.socket.close();
    }
  });
});

/** The WeChat callback takes XML, not JSON; uploads take multipart (FormData, whose content type fetch sets). */
async function rawPost(
  client: Browser,
  path: string,
  body: string | FormData,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(client.baseUrl + path, {
    method: 'POST',
    headers: {
      ...(typeof body === 'string' ? { 'content-type': 'text/xml' } : {}),
      ...(client.cookie ? { cookie: client.cookie } : {}),
    },
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // 'success' is plain text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

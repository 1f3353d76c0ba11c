/* `npm run bench [-- --quick | --smoke]`: the targets of PRODUCT.md measured against a bare baseline, same run, same database. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startWechatApiServer } from '@inbox/server/sandbox/wechat-api.server';
import { WechatApiSimulator } from '@inbox/server/sandbox/wechat-api.simulator';
import { startServerProcess, ROOT, type ServerProcess } from '../support/server-process';
import {
  closedLoop,
  connectAgents,
  openLoop,
  preparePushes,
  until,
  type AgentSockets,
  type BenchAccount,
} from './load';
import { FIRST_RESPONSE_SQL, seedBulk } from './seed';
import { mean, percentile, round } from './stats';

const mode = process.argv.includes('--smoke') ? 'smoke' : process.argv.includes('--quick') ? 'quick' : 'full';
const SIZES = {
  full: {
    ingest: 6000,
    lowRate: 150,
    concurrency: 32,
    rate: 500,
    openSeconds: 10,
    agents: 10,
    conversations: 100_000,
    messagesPer: 10,
    sockets: 1000,
    listRequests: 300,
    reportRuns: 20,
    sends: 100,
  },
  quick: {
    ingest: 2000,
    lowRate: 150,
    concurrency: 32,
    rate: 500,
    openSeconds: 4,
    agents: 10,
    conversations: 20_000,
    messagesPer: 10,
    sockets: 300,
    listRequests: 150,
    reportRuns: 10,
    sends: 100,
  },
  smoke: {
    ingest: 150,
    lowRate: 50,
    concurrency: 8,
    rate: 100,
    openSeconds: 1,
    agents: 3,
    conversations: 1_000,
    messagesPer: 4,
    sockets: 30,
    listRequests: 20,
    reportRuns: 3,
    sends: 10,
  },
}[mode];
const outFile = (() => {
  const i = process.argv.indexOf('--out');
  return i > 0 ? (process.argv[i + 1] ?? 'bench-results.json') : join(ROOT, 'bench-results.json');
})();

interface Row {
  scenario: string;
  metric: string;
  project: number | null;
  baseline: number | null;
  ratio: number | null;
  target: string;
  pass: boolean | null;
  note?: string;
}
const rows: Row[] = [];
const log = (m: string) => console.log(`[bench] ${m}`);

async function adminDatabaseUrl(): Promise<{ url: string; stop?: () => Promise<void> }> {
  const candidates = [
    process.env.DATABASE_URL,
    process.env.TEST_DATABASE_ADMIN_URL,
    'postgres://postgres@127.0.0.1:5432/postgres',
  ].filter((x): x is string => !!x);
  for (const url of candidates) {
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      await c.end();
      return { url };
    } catch {
      // try the next
    }
  }
  const { startEmbeddedPostgres } =
    (await import('@inbox/server/database/embedded-postgres')) as typeof import('@inbox/server/database/embedded-postgres');
  const pg = await startEmbeddedPostgres({ dir: join(mkdtempSync(join(tmpdir(), 'inbox-bench-')), 'pg'), notice: log });
  log('no PostgreSQL found: using an embedded one');
  return { url: pg.url, stop: () => pg.stop() };
}

function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? NaN);
}

async function api<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
): Promise<{ status: number; body: T; cookie?: string }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const setCookie = res.headers.get('set-cookie')?.split(';')[0];
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    ...(setCookie ? { cookie: setCookie } : {}),
  };
}

async function login(base: string, email: string, password: string): Promise<string> {
  const r = await api(base, 'POST', '/api/auth/login', { email, password });
  if (r.status !== 200 || !r.cookie) throw new Error(`login failed: ${r.status}`);
  return r.cookie;
}

const alnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');

function startBaseline(dbUrl: string, accountsFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(__dirname, 'baseline/server.js')], {
    env: { ...process.env, DATABASE_URL: dbUrl, BASELINE_ACCOUNTS: accountsFile, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const m = /baseline listening on (\d+)/.exec(d.toString());
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, child });
    });
    child.on('exit', (code) => reject(new Error(`baseline exited ${code}`)));
  });
}

async function ingestScenarios(
  target: 'project' | 'baseline',
  base: string,
  accounts: BenchAccount[],
  agentsFor: () => Promise<AgentSockets>,
) {
  const agents = await agentsFor();
  try {
    // Warm-up (JIT, pools), not measured.
    await closedLoop(preparePushes(base, accounts, 200), 8);
    const pushes = preparePushes(base, accounts, SIZES.ingest);
    const sentAt = new Map<string, number>();
    const closed = await closedLoop(pushes, SIZES.concurrency, (p, at) => p.marker && sentAt.set(p.marker, at));
    const errors = closed.results.filter((r) => !r.ok).length;
    const markers = pushes.filter((p) => p.marker).map((p) => p.marker as string);
    await until(
      agents,
      () => markers.every((m) => (agents.arrivals.get(m)?.length ?? 0) >= agents.sockets.length),
      15000,
    );
    const delivered = markers.filter((m) => (agents.arrivals.get(m)?.length ?? 0) >= agents.sockets.length).length;

    const atRate = async (rate: number) => {
      const open = preparePushes(base, accounts, rate * SIZES.openSeconds);
      const due = new Map<string, number>();
      const o = await openLoop(open, rate, (p, at) => p.marker && due.set(p.marker, at));
      const openMarkers = open.filter((p) => p.marker).map((p) => p.marker as string);
      await until(
        agents,
        () => openMarkers.every((m) => (agents.arrivals.get(m)?.length ?? 0) >= agents.sockets.length),
        15000,
      );
      const socketLat: number[] = [];
      for (const m of openMarkers) for (const t of agents.arrivals.get(m) ?? []) socketLat.push(t - (due.get(m) ?? t));
      const missing = openMarkers.length * agents.sockets.length - socketLat.length;
      return { o, socketLat, missing: Math.ceil(missing / agents.sockets.length) };
    };
    const low = await atRate(SIZES.lowRate);
    const high = await atRate(SIZES.rate);
    return {
      throughput: SIZES.ingest / closed.seconds,
      // Closed loop (scenario 1) and the open loops (scenario 2, where overload can refuse requests) apart.
      errors,
      lost: markers.length - delivered,
      openErrors: high.o.errors + low.o.errors,
      openLost: high.missing + low.missing,
      p50: percentile(high.o.latencies, 50),
      p99: percentile(high.o.latencies, 99),
      s50: percentile(high.socketLat, 50),
      s99: percentile(high.socketLat, 99),
      lowP99: percentile(low.o.latencies, 99),
      lowS99: percentile(low.socketLat, 99),
    };
  } finally {
    agents.close();
  }
}

/** RSS of a process, as the median of 5 readings 100 ms apart (GC makes single readings jumpy). */
async function steadyRssKb(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(rssKb(pid));
    await new Promise((r) => setTimeout(r, 100));
  }
  return percentile(readings, 50);
}

async function socketMemory(pid: number, connect: (n: number) => Promise<AgentSockets>): Promise<number> {
  const before = await steadyRssKb(pid);
  const agents = await connect(SIZES.sockets);
  // Let the server settle after the connection burst before reading its memory.
  await new Promise((r) => setTimeout(r, 1500));
  const after = await steadyRssKb(pid);
  agents.close();
  return (after - before) / SIZES.sockets; // KB per socket
}

async function main(): Promise<void> {
  const admin = await adminDatabaseUrl();
  const adminClient = new Client({ connectionString: admin.url });
  await adminClient.connect();
  const dbName = `inbox_bench_${Date.now().toString(36)}`;
  await adminClient.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = withDb(admin.url, dbName);
  const pgVersion =
    (await adminClient.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  console.log(
    `\nMachine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, PostgreSQL ${pgVersion}; mode ${mode}\n`,
  );

  const migrate = spawnSync(process.execPath, [join(ROOT, 'server/dist/cli/db.js'), 'migrate'], {
    env: { ...process.env, DATABASE_URL: dbUrl },
    stdio: 'inherit',
  });
  if (migrate.status !== 0) throw new Error('migrations failed');
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  await db.query(`CREATE TABLE bench_baseline_messages (id bigserial PRIMARY KEY, account_id uuid NOT NULL, external_id text NOT NULL, openid text, type text, text text,
                    payload jsonb, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (account_id, external_id))`);

  const sim = new WechatApiSimulator();
  const wechat = await startWechatApiServer(sim, { port: 0 });
  const adminEmail = 'bench@example.com';
  const adminPassword = `bench-${alnum(12)}`;
  const env = {
    DATABASE_URL: dbUrl,
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    WECHAT_API_BASE: wechat.url,
    SANDBOX: '0',
    LOG_LEVEL: 'error',
  };
  let project: ServerProcess = await startServerProcess(env);
  let baseline: { url: string; child: ChildProcess } | undefined;
  try {
    const adminCookie = await login(project.url, adminEmail, adminPassword);
    const accounts: BenchAccount[] = [];
    for (let i = 0; i < 12; i++) {
      const input = {
        kind: 'wechat_oa',
        name: `Bench ${i}`,
        appId: `wx${randomBytes(8).toString('hex')}`,
        appSecret: alnum(32),
        token: alnum(16),
        encodingAesKey: alnum(43),
        mode: 'safe',
        originalId: `gh_${randomBytes(6).toString('hex')}`,
      };
      const r = await api<{ id: string }>(project.url, 'POST', '/api/accounts', input, adminCookie);
      accounts.push({
        id: r.body.id,
        appId: input.appId,
        appSecret: input.appSecret,
        token: input.token,
        encodingAesKey: input.encodingAesKey,
        originalId: input.originalId,
        mode: 'safe',
      });
    }
    const agentPassword = `agent-${alnum(12)}`;
    const agent = await api<{ id: string }>(
      project.url,
      'POST',
      '/api/users',
      { email: 'agent@bench.example.com', name: 'Agent', password: agentPassword, role: 'agent' },
      adminCookie,
    );
    for (const a of accounts)
      await api(project.url, 'PUT', `/api/accounts/${a.id}/members`, { userIds: [agent.body.id] }, adminCookie);
    const agentCookie = await login(project.url, 'agent@bench.example.com', agentPassword);
    const accountsFile = join(mkdtempSync(join(tmpdir(), 'bench-')), 'accounts.json');
    writeFileSync(accountsFile, JSON.stringify(accounts));
    baseline = await startBaseline(dbUrl, accountsFile);
    const accountQuery = { accounts: accounts.map((a) => a.id).join(',') };

    // 1 + 2: ingest, closed loop and open loop, with agents connected.
    log(
      `ingest: ${SIZES.ingest} pushes closed-loop (${SIZES.concurrency} concurrent), then ${SIZES.rate}/s for ${SIZES.openSeconds} s, ${SIZES.agents} agent sockets`,
    );
    const b = await ingestScenarios('baseline', baseline.url, accounts, () =>
      connectAgents(baseline!.url, SIZES.agents, { query: accountQuery }),
    );
    const p = await ingestScenarios('project', project.url, accounts, () =>
      connectAgents(project.url, SIZES.agents, { cookie: agentCookie }),
    );
    const ratio = p.throughput / b.throughput;
    rows.push({
      scenario: '1 ingest throughput',
      metric: 'msg/s (closed loop)',
      project: round(p.throughput),
      baseline: round(b.throughput),
      ratio: round(ratio, 2),
      target: '≥ 0.5× baseline, 0 errors',
      pass: ratio >= 0.5 && p.errors === 0 && p.lost === 0,
      note: `closed loop: errors ${p.errors}, lost ${p.lost} (baseline ${b.errors}, ${b.lost}); open loops: errors ${p.openErrors}, not delivered ${p.openLost} (baseline ${b.openErrors}, ${b.openLost})`,
    });
    rows.push({
      scenario: `2 webhook latency @${SIZES.rate}/s`,
      metric: 'p50 ms',
      project: round(p.p50),
      baseline: round(b.p50),
      ratio: round(p.p50 / b.p50, 2),
      target: '',
      pass: null,
    });
    rows.push({
      scenario: `2 webhook latency @${SIZES.rate}/s`,
      metric: 'p99 ms',
      project: round(p.p99),
      baseline: round(b.p99),
      ratio: round(p.p99 / b.p99, 2),
      target: '≤ 50 ms',
      pass: p.p99 <= 50,
    });
    rows.push({
      scenario: `2 webhook latency @${SIZES.lowRate}/s`,
      metric: 'p99 ms',
      project: round(p.lowP99),
      baseline: round(b.lowP99),
      ratio: round(p.lowP99 / b.lowP99, 2),
      target: '(below both capacities)',
      pass: null,
    });
    rows.push({
      scenario: `2 webhook → agent socket @${SIZES.lowRate}/s`,
      metric: 'p99 ms',
      project: round(p.lowS99),
      baseline: round(b.lowS99),
      ratio: round(p.lowS99 / b.lowS99, 2),
      target: '',
      pass: null,
    });
    rows.push({
      scenario: `2 webhook → agent socket @${SIZES.rate}/s`,
      metric: 'p50 ms',
      project: round(p.s50),
      baseline: round(b.s50),
      ratio: round(p.s50 / b.s50, 2),
      target: '',
      pass: null,
    });
    rows.push({
      scenario: `2 webhook → agent socket @${SIZES.rate}/s`,
      metric: 'p99 ms',
      project: round(p.s99),
      baseline: round(b.s99),
      ratio: round(p.s99 / b.s99, 2),
      target: '≤ 100 ms',
      pass: p.s99 <= 100,
    });

    // 5: memory per idle agent socket.
    log(`memory: ${SIZES.sockets} idle sockets`);
    const memP = await socketMemory(project.child.pid!, (n) => connectAgents(project.url, n, { cookie: agentCookie }));
    const memB = await socketMemory(baseline.child.pid!, (n) =>
      connectAgents(baseline!.url, n, { query: accountQuery }),
    );
    rows.push({
      scenario: `5 memory per idle socket (${SIZES.sockets})`,
      metric: 'KB',
      project: round(memP),
      baseline: round(memB),
      ratio: round(memP / memB, 2),
      target: '≤ 30 KB',
      pass: memP <= 30,
    });

    // 7: token fetches during concurrent sends.
    log(`token: ${SIZES.sends} concurrent replies on a fresh account`);
    const fresh = {
      kind: 'wechat_oa',
      name: 'Token bench',
      appId: `wx${randomBytes(8).toString('hex')}`,
      appSecret: alnum(32),
      token: alnum(16),
      encodingAesKey: alnum(43),
      mode: 'safe',
      originalId: `gh_${randomBytes(6).toString('hex')}`,
    };
    const fr = await api<{ id: string }>(project.url, 'POST', '/api/accounts', fresh, adminCookie);
    sim.addApp({ appId: fresh.appId, secret: fresh.appSecret, originalId: fresh.originalId });
    await api(project.url, 'PUT', `/api/accounts/${fr.body.id}/members`, { userIds: [agent.body.id] }, adminCookie);
    const freshAccount: BenchAccount = {
      id: fr.body.id,
      appId: fresh.appId,
      appSecret: fresh.appSecret,
      token: fresh.token,
      encodingAesKey: fresh.encodingAesKey,
      originalId: fresh.originalId,
      mode: 'safe',
    };
    const customers = Math.ceil(SIZES.sends / 5);
    const pushes = preparePushes(project.url, [freshAccount], customers * 3, customers)
      .filter((x) => x.marker)
      .slice(0, customers);
    for (let i = 0; i < customers; i++) sim.userMessage(fresh.appId, `oBench${fr.body.id.slice(0, 6)}_${i}`);
    await closedLoop(pushes, 4);
    const convs = await api<{ items: Array<{ id: string }> }>(
      project.url,
      'GET',
      `/api/conversations?accountId=${fr.body.id}&limit=100`,
      undefined,
      agentCookie,
    );
    const sends = convs.body.items.flatMap((c) => [1, 2, 3, 4, 5].map((n) => ({ c: c.id, n }))).slice(0, SIZES.sends);
    await Promise.all(
      sends.map((s, i) =>
        api(
          project.url,
          'POST',
          `/api/conversations/${s.c}/messages`,
          { type: 'text', text: `reply ${s.n}`, clientMessageId: `bench-${i}-${alnum(8)}` },
          agentCookie,
        ),
      ),
    );
    const deadline = Date.now() + 30000;
    let finals = 0;
    while (Date.now() < deadline) {
      finals = Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM messages WHERE account_id = $1 AND direction = 'out' AND status IN ('sent','failed')`,
            [fr.body.id],
          )
        ).rows[0]?.n,
      );
      if (finals >= sends.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const fetches = sim.tokenFetches(fresh.appId);
    rows.push({
      scenario: `7 token fetches, ${sends.length} concurrent sends`,
      metric: 'fetches',
      project: fetches,
      baseline: null,
      ratio: null,
      target: '= 1',
      pass: fetches === 1,
      note: `${finals}/${sends.length} delivered`,
    });

    // 3 + 4: list and report at scale.
    log(
      `seeding ${SIZES.conversations} conversations / ${SIZES.conversations * SIZES.messagesPer} messages in 50 accounts`,
    );
    const seedStart = performance.now();
    const { accountIds } = await seedBulk(db, SIZES.conversations, SIZES.messagesPer);
    log(`seeded in ${round((performance.now() - seedStart) / 1000)} s`);
    const five = accountIds.slice(0, 5);
    const listAgentPw = `list-${alnum(12)}`;
    const listAgent = await api<{ id: string }>(
      project.url,
      'POST',
      '/api/users',
      { email: 'list@bench.example.com', name: 'List', password: listAgentPw, role: 'agent' },
      adminCookie,
    );
    for (const id of five)
      await db.query('INSERT INTO account_members (account_id, user_id) VALUES ($1, $2)', [id, listAgent.body.id]);
    const listCookie = await login(project.url, 'list@bench.example.com', listAgentPw);
    const listTimes: number[] = [];
    for (let i = 0; i < SIZES.listRequests + 20; i++) {
      const t0 = performance.now();
      const r = await api<{ items: unknown[] }>(
        project.url,
        'GET',
        `/api/conversations?limit=30${i % 3 === 1 ? '&status=open' : i % 3 === 2 ? '&sort=waiting' : ''}`,
        undefined,
        listCookie,
      );
      if (r.status !== 200 || r.body.items.length === 0) throw new Error(`list failed: ${r.status}`);
      if (i >= 20) listTimes.push(performance.now() - t0);
    }
    const plan = (
      await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) SELECT c.id FROM unnest($1::uuid[]) AS a(id) CROSS JOIN LATERAL (
           SELECT c.id, c.last_message_at AS k FROM conversations c WHERE c.account_id = a.id ORDER BY c.last_message_at DESC, c.id DESC LIMIT 30) c
         ORDER BY c.k DESC, c.id DESC LIMIT 30`,
        [five],
      )
    ).rows.map((r) => r['QUERY PLAN']);
    const usesIndex = plan.some((l) =>
      /Index (Only )?Scan Backward using conversations_account_last_message_idx/.test(l),
    );
    const sortRows = Math.max(
      0,
      ...plan.filter((l) => /Sort/.test(l)).map((l) => Number(/rows=(\d+) loops/.exec(l)?.[1] ?? 0)),
    );
    const l99 = percentile(listTimes, 99);
    rows.push({
      scenario: `3 conversation list (${SIZES.conversations} conv, 5 of 50 accounts)`,
      metric: 'p50 ms',
      project: round(percentile(listTimes, 50)),
      baseline: null,
      ratio: null,
      target: '',
      pass: null,
    });
    rows.push({
      scenario: `3 conversation list (${SIZES.conversations} conv, 5 of 50 accounts)`,
      metric: 'p99 ms',
      project: round(l99),
      baseline: null,
      ratio: null,
      target: '≤ 50 ms, index scan, no full sort',
      pass: l99 <= 50 && usesIndex && sortRows <= 5 * 30,
      note: `plan: ${usesIndex ? 'index scan backward per account' : 'NO index scan'}, largest sort ${sortRows} rows`,
    });

    // Sidebar counts and text search over the same data (no target of their own; the list's 50 ms is the yardstick).
    const timedGet = async (path: string, cookie: string): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < Math.max(10, Math.round(SIZES.listRequests / 4)) + 3; i++) {
        const t0 = performance.now();
        const r = await api(project.url, 'GET', path, undefined, cookie);
        if (r.status !== 200) throw new Error(`${path} failed: ${r.status}`);
        if (i >= 3) times.push(performance.now() - t0);
      }
      return times;
    };
    for (const [what, path, cookie] of [
      ['sidebar counts, agent in 5 accounts', '/api/conversations/counts', listCookie],
      ['sidebar counts, admin over 50 accounts', '/api/conversations/counts', adminCookie],
      ['search q, common text, agent', '/api/conversations?limit=30&q=message%201', listCookie],
      [
        'search q, text found nowhere (scans the 5 accounts), agent',
        '/api/conversations?limit=30&q=zq-none',
        listCookie,
      ],
    ] as const) {
      const times = await timedGet(path, cookie);
      rows.push({
        scenario: `3b ${what}`,
        metric: 'p99 ms',
        project: round(percentile(times, 99)),
        baseline: null,
        ratio: null,
        target: '',
        pass: null,
        note: `p50 ${round(percentile(times, 50))} ms, p99 ${round(percentile(times, 99))} ms over ${times.length} requests`,
      });
    }

    const reportTimes: number[] = [];
    for (let i = 0; i < SIZES.reportRuns + 2; i++) {
      const t0 = performance.now();
      await db.query(FIRST_RESPONSE_SQL, [accountIds]);
      if (i >= 2) reportTimes.push(performance.now() - t0);
    }
    const r99 = percentile(reportTimes, 99);
    rows.push({
      scenario: `4 first-response report, 30 days, ${SIZES.conversations * SIZES.messagesPer} messages`,
      metric: 'p99 ms',
      project: round(r99),
      baseline: null,
      ratio: null,
      target: '≤ 300 ms',
      pass: r99 <= 300,
      note: `mean ${round(mean(reportTimes))} ms over ${reportTimes.length} runs (first response + reply time from replied events; SQL, no reports API yet)`,
    });

    // 6: cold start to ready, migrations already applied.
    log('cold start');
    await project.stop();
    const t0 = performance.now();
    project = await startServerProcess(env);
    for (;;) {
      const r = await fetch(`${project.url}/api/ready`).catch(() => undefined);
      if (r?.status === 200) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const cold = (performance.now() - t0) / 1000;
    rows.push({
      scenario: '6 cold start to ready (migrated DB)',
      metric: 's',
      project: round(cold, 2),
      baseline: null,
      ratio: null,
      target: '≤ 5 s',
      pass: cold <= 5,
    });
  } finally {
    await project.stop().catch(() => undefined);
    baseline?.child.kill('SIGTERM');
    await wechat.close();
    await db.end();
    await adminClient.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await adminClient.end();
    await admin.stop?.();
  }

  const header = ['scenario', 'metric', 'project', 'baseline', 'ratio', 'target', 'pass'];
  const table = [
    header,
    ...rows.map((r) => [
      r.scenario,
      r.metric,
      String(r.project ?? '—'),
      String(r.baseline ?? '—'),
      String(r.ratio ?? '—'),
      r.target,
      r.pass === null ? '' : r.pass ? 'yes' : 'NO',
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  for (const r of table) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | '));
  for (const r of rows.filter((x) => x.note)) console.log(`  ${r.scenario}: ${r.note}`);
  writeFileSync(
    outFile,
    JSON.stringify({ mode, machine: { cpus: cpus().length, node: process.version }, rows }, null, 2),
  );
  console.log(`\nWrote ${outFile}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

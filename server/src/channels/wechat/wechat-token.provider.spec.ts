import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/db';
import { SecretBox } from '../../crypto/secret-box';
import { createDataSource } from '../../database/data-source';
import { startWechatApiServer, type RunningWechatApiServer } from '../../sandbox/wechat-api.server';
import { WechatApiSimulator, type SandboxApp } from '../../sandbox/wechat-api.simulator';
import { WechatApiClient, type CustomMessage } from './wechat-api.client';
import { WechatApiError } from './wechat-errors';
import { WechatTokenProvider, type CredentialsSource } from './wechat-token.provider';

const SEND = '/cgi-bin/message/custom/send';

/** Stands in for the accounts service: credentials by account id, and a record of "credentials broken" marks. */
class FakeCredentials implements CredentialsSource {
  readonly byAccount = new Map<string, { appId: string; appSecret: string }>();
  readonly broken: Array<{ accountId: string; errcode: number; errmsg: string }> = [];

  async credentials(accountId: string) {
    const c = this.byAccount.get(accountId);
    if (!c) throw new Error(`no account ${accountId}`);
    return { ...c };
  }

  async markCredentialsBroken(accountId: string, errcode: number, errmsg: string) {
    this.broken.push({ accountId, errcode, errmsg });
  }
}

const text = (touser: string): CustomMessage => ({ touser, msgtype: 'text', text: { content: 'hello' } });

describe('WechatTokenProvider (real PostgreSQL, the sandbox over real HTTP)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const box = new SecretBox({ id: 'test', key: randomBytes(32) });

  let skewMs: number;
  let sim: WechatApiSimulator;
  let server: RunningWechatApiServer;
  let client: WechatApiClient;
  let creds: FakeCredentials;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, 10);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });
  beforeEach(async () => {
    skewMs = 0;
    sim = new WechatApiSimulator({ now: () => Date.now() + skewMs });
    server = await startWechatApiServer(sim, { port: 0 });
    client = new WechatApiClient({ baseUrl: server.url, timeoutMs: 5000 });
    creds = new FakeCredentials();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await server.close();
  });

  /** A linked account (row in channel_accounts) backed by a sandbox app. */
  async function newAccount(): Promise<{ accountId: string; app: SandboxApp }> {
    const app = sim.addApp();
    const rows: { id: string }[] = await ds.query(
      `INSERT INTO channel_accounts (kind, name, app_id, original_id, mode, credentials)
       VALUES ('wechat_oa', 'Test OA', $1, $2, 'safe', 'not-used-here') RETURNING id`,
      [app.appId, app.originalId],
    );
    const accountId = rows[0]!.id;
    creds.byAccount.set(accountId, { appId: app.appId, appSecret: app.secret });
    return { accountId, app };
  }

  const provider = (on: DataSource = ds, now?: () => number) =>
    new WechatTokenProvider(on, box, client, creds, now ? { now } : undefined);

  async function row(accountId: string) {
    const rows: Array<{ token_sealed: string; expires_in_s: number; whole: string }> = await ds.query(
      `SELECT token_sealed, extract(epoch FROM expires_at - now())::float AS expires_in_s, row_to_json(t)::text AS whole
         FROM access_tokens t WHERE account_id = $1`,
      [accountId],
    );
    return rows[0];
  }

  const sendCalls = (appId: string) => sim.calls.filter((c) => c.path === SEND && c.appId === appId);

  it('stores the token sealed (bound to the account), never in plaintext', async () => {
    const { accountId, app } = await newAccount();
    const token = await provider().getToken(accountId);
    expect(sim.tokenFetches(app.appId)).toBe(1);
    const r = await row(accountId);
    expect(r).toBeDefined();
    expect(r!.whole).not.toContain(token);
    expect(box.open(r!.token_sealed, accountId)).toBe(token);
    expect(() => box.open(r!.token_sealed, 'another-account')).toThrow();
    expect(r!.expires_in_s).toBeGreaterThan(7100);
    expect(r!.expires_in_s).toBeLessThanOrEqual(7200);
    // Served from the table afterwards, also to a fresh instance.
    expect(await provider().getToken(accountId)).toBe(token);
    expect(sim.tokenFetches(app.appId)).toBe(1);
  });

  it('fetches once for 100 concurrent sends of one account', async () => {
    const { accountId, app } = await newAccount();
    const users = Array.from({ length: 100 }, (_, i) => `o-user-${i}`);
    for (const u of users) sim.userMessage(app.appId, u);
    const p = provider();
    await Promise.all(users.map((u) => p.withToken(accountId, (t) => client.sendCustomMessage(t, text(u)))));
    expect(sim.tokenFetches(app.appId)).toBe(1);
    expect(sim.sent.filter((s) => s.appId === app.appId)).toHaveLength(100);
  });

  it('makes one database round and one fetch for 100 concurrent getToken calls in one process', async () => {
    const { accountId, app } = await newAccount();
    const p = provider();
    const query = jest.spyOn(ds, 'query');
    const transaction = jest.spyOn(ds, 'transaction');
    const tokens = await Promise.all(Array.from({ length: 100 }, () => p.getToken(accountId)));
    expect(new Set(tokens).size).toBe(1);
    // One lookup outside a transaction, then one locked refresh (its statements run on the transaction's runner).
    expect(query.mock.calls.filter((c) => c[2] === undefined)).toHaveLength(1);
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(sim.tokenFetches(app.appId)).toBe(1);
  });

  it('fetches once when two instances (two DataSources) need a token at the same time', async () => {
    const { accountId, app } = await newAccount();
    const ds2 = createDataSource(db.url, 10);
    await ds2.initialize();
    try {
      // A slow token endpoint widens the race: both instances find no token before either has stored one.
      sim.setFault(app.appId, { latencyMs: 150, times: 1, paths: ['/cgi-bin/stable_token'] });
      const a = provider(ds);
      const b = provider(ds2);
      const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).getToken(accountId)));
      expect(new Set(tokens).size).toBe(1);
      expect(sim.tokenFetches(app.appId)).toBe(1);
    } finally {
      await ds2.destroy();
    }
  });

  it('after 40001 (token invalidated at WeChat) refreshes once, retries once, and the send succeeds', async () => {
    const { accountId, app } = await newAccount();
    sim.userMessage(app.appId, 'o-user');
    const p = provider();
    const before = await p.getToken(accountId);
    sim.invalidateTokens(app.appId);
    let attempts = 0;
    await p.withToken(accountId, (t) => {
      attempts++;
      return client.sendCustomMessage(t, text('o-user'));
    });
    expect(attempts).toBe(2);
    expect(sim.tokenFetches(app.appId)).toBe(2);
    expect(sendCalls(app.appId).map((c) => c.errcode)).toEqual([40001, 0]);
    const after = await p.getToken(accountId);
    expect(after).not.toBe(before);
    expect(box.open((await row(accountId))!.token_sealed, accountId)).toBe(after);
  });

  it('after 42001 (expired at WeChat before our clock says so) refreshes once and retries', async () => {
    const { accountId, app } = await newAccount();
    sim.userMessage(app.appId, 'o-user');
    const p = provider();
    await p.getToken(accountId);
    sim.expireTokens(app.appId);
    await p.withToken(accountId, (t) => client.sendCustomMessage(t, text('o-user')));
    expect(sendCalls(app.appId).map((c) => c.errcode)).toEqual([42001, 0]);
    expect(sim.tokenFetches(app.appId)).toBe(2);
  });

  it('surfaces a second consecutive 40001 instead of looping', async () => {
    const { accountId, app } = await newAccount();
    sim.userMessage(app.appId, 'o-user');
    const p = provider();
    await p.getToken(accountId);
    sim.setFault(app.appId, { errcode: 40001, times: 2, paths: [SEND] });
    let attempts = 0;
    const err = await p
      .withToken(accountId, (t) => {
        attempts++;
        return client.sendCustomMessage(t, text('o-user'));
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect((err as WechatApiError).errcode).toBe(40001);
    expect(attempts).toBe(2);
    expect(sim.tokenFetches(app.appId)).toBe(2);
    expect(sendCalls(app.appId)).toHaveLength(2);
    expect(sim.sent).toHaveLength(0);
  });

  it('shares one refresh among concurrent calls that hit 40001 with the same token', async () => {
    const { accountId, app } = await newAccount();
    const users = Array.from({ length: 20 }, (_, i) => `o-${i}`);
    for (const u of users) sim.userMessage(app.appId, u);
    const p = provider();
    await p.getToken(accountId);
    sim.invalidateTokens(app.appId);
    await Promise.all(users.map((u) => p.withToken(accountId, (t) => client.sendCustomMessage(t, text(u)))));
    expect(sim.tokenFetches(app.appId)).toBe(2);
    expect(sim.sent.filter((s) => s.appId === app.appId)).toHaveLength(20);
  });

  it('does not retry errors that are not about the token', async () => {
    const { accountId, app } = await newAccount();
    sim.addUser(app.appId, { openid: 'o-quiet' });
    let attempts = 0;
    const err = await provider()
      .withToken(accountId, (t) => {
        attempts++;
        return client.sendCustomMessage(t, text('o-quiet'));
      })
      .catch((e: unknown) => e);
    expect((err as WechatApiError).errcode).toBe(45015);
    expect(attempts).toBe(1);
    expect(sim.tokenFetches(app.appId)).toBe(1);
  });

  it('marks the credentials broken on 40125, and does not hammer WeChat with the same secret', async () => {
    const { accountId, app } = await newAccount();
    creds.byAccount.set(accountId, { appId: app.appId, appSecret: 'an-old-secret-0000' });
    const p = provider();
    const err = await p.getToken(accountId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect((err as WechatApiError).kind).toBe('credentials');
    expect(creds.broken).toEqual([{ accountId, errcode: 40125, errmsg: expect.any(String) }]);
    expect(await row(accountId)).toBeUndefined();

    // Again at once with the same secret: refused without another call to WeChat.
    await expect(p.getToken(accountId)).rejects.toMatchObject({ errcode: 40125 });
    expect(sim.tokenFetches(app.appId)).toBe(1);

    // An admin enters the right secret: it works straight away.
    creds.byAccount.set(accountId, { appId: app.appId, appSecret: app.secret });
    expect(await p.getToken(accountId)).toEqual(expect.any(String));
    expect(sim.tokenFetches(app.appId)).toBe(2);
  });

  it('tries the same refused secret again after the back-off', async () => {
    const { accountId, app } = await newAccount();
    creds.byAccount.set(accountId, { appId: app.appId, appSecret: 'an-old-secret-0000' });
    let now = 1_000_000;
    const p = provider(ds, () => now);
    await expect(p.getToken(accountId)).rejects.toMatchObject({ errcode: 40125 });
    now += 61_000;
    await expect(p.getToken(accountId)).rejects.toMatchObject({ errcode: 40125 });
    expect(sim.tokenFetches(app.appId)).toBe(2);
    expect(creds.broken).toHaveLength(2);
  });

  it('serves a token with more than 5 minutes left and refreshes one with less', async () => {
    const { accountId, app } = await newAccount();
    const p = provider();
    const first = await p.getToken(accountId);

    await ds.query(`UPDATE access_tokens SET expires_at = now() + interval '6 minutes' WHERE account_id = $1`, [
      accountId,
    ]);
    expect(await p.getToken(accountId)).toBe(first);
    expect(sim.tokenFetches(app.appId)).toBe(1);

    // WeChat's clock agrees: the token has 4 minutes left, so stable_token hands out the next one.
    skewMs = (7200 - 240) * 1000;
    await ds.query(`UPDATE access_tokens SET expires_at = now() + interval '4 minutes' WHERE account_id = $1`, [
      accountId,
    ]);
    const second = await p.getToken(accountId);
    expect(second).not.toBe(first);
    expect(sim.tokenFetches(app.appId)).toBe(2);
    expect((await row(accountId))!.expires_in_s).toBeGreaterThan(7100);
  });

  it('keeps using a token inside its last 5 minutes while WeChat is unreachable, but not an expired one', async () => {
    const { accountId, app } = await newAccount();
    const p = provider();
    const token = await p.getToken(accountId);
    sim.setFault(app.appId, { errcode: -1, paths: ['/cgi-bin/stable_token'] });
    await ds.query(`UPDATE access_tokens SET expires_at = now() + interval '4 minutes' WHERE account_id = $1`, [
      accountId,
    ]);
    expect(await p.getToken(accountId)).toBe(token);
    await ds.query(`UPDATE access_tokens SET expires_at = now() - interval '1 second' WHERE account_id = $1`, [
      accountId,
    ]);
    await expect(p.getToken(accountId)).rejects.toMatchObject({ errcode: -1, kind: 'transient' });
  });

  it('invalidates only the token that failed (compare-and-delete)', async () => {
    const { accountId } = await newAccount();
    const p = provider();
    const token = await p.getToken(accountId);
    expect(await p.invalidate(accountId, 'some-older-token')).toBe(false);
    expect(await row(accountId)).toBeDefined();
    expect(await p.invalidate(accountId, token)).toBe(true);
    expect(await row(accountId)).toBeUndefined();
    expect(await p.invalidate(accountId, token)).toBe(false);
  });

  it('reports the token state for the health panel', async () => {
    const { accountId } = await newAccount();
    const p = provider();
    expect(await p.tokenState(accountId)).toEqual({ state: 'none', expiresAt: null });
    await p.getToken(accountId);
    expect((await p.tokenState(accountId)).state).toBe('valid');
    await ds.query(`UPDATE access_tokens SET expires_at = now() - interval '1 second' WHERE account_id = $1`, [
      accountId,
    ]);
    expect((await p.tokenState(accountId)).state).toBe('expired');
  });
});

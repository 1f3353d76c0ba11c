import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../test/app';
import { accountInput } from '../../test/factories/account.factory';
import { newUser } from '../../test/factories/user.factory';
import { Browser, enrolTotp, loginAs, totpCode } from '../../test/identity';
import { createApp } from '../app';
import { createLogger } from '../common/logger';
import { keyIdOf, loadConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { SecretBox } from './secret-box';
import { SEALED_COLUMNS } from './sealed-values.repository';

const KEY_1 = 'a'.repeat(64); // startTestApp's APP_SECRET_KEY
const KEY_2 = Buffer.alloc(32, 0x5c).toString('base64');
const CLI = join(__dirname, '../../dist/cli/secrets.js');

/** pg_dump of the newest PostgreSQL installed (it must not be older than the server). */
function pgDump(url: string): string {
  const candidates = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort((x, y) => Number(y) - Number(x))
        .map((v) => `/usr/lib/postgresql/${v}/bin/pg_dump`)
        .filter((p) => existsSync(p))
    : [];
  return execFileSync(candidates[0] ?? 'pg_dump', ['--no-owner', '--inserts', url], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

function rotate(url: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [CLI, 'rotate'], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'inbox-rotate-')),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      ...env,
    },
  });
}

describe('secrets at rest: a database dump holds none, and `secrets:rotate` moves them to a new key', () => {
  let t: TestApp;
  const secrets: Record<string, string> = {};
  let accountId: string;
  let totpUser: { email: string; password: string };
  let totpSecret: string;

  beforeAll(async () => {
    t = await startTestApp();
    const adminUser = await newUser(t.ds, { role: 'admin' });
    const admin = await loginAs(t.url, adminUser);
    const input = accountInput('safe');
    const made = await admin.request<{ id: string }>('POST', '/api/accounts', input);
    accountId = made.body.id;
    // An EncodingAESKey rotation keeps the old key as "previous": both must stay sealed.
    const rotatedAesKey = accountInput('safe').encodingAesKey;
    await admin.request('PATCH', `/api/accounts/${accountId}`, { encodingAesKey: rotatedAesKey });
    Object.assign(secrets, {
      appSecret: input.appSecret,
      token: input.token,
      encodingAesKey: input.encodingAesKey,
      rotatedAesKey,
    });
    // The cached access token, sealed as the token provider does.
    secrets.accessToken = `ACCESS_TOKEN_${input.appSecret.slice(0, 12)}_a1b2c3d4e5f6`;
    await t.ds.query(
      `INSERT INTO access_tokens (account_id, token_sealed, expires_at) VALUES ($1, $2, now() + interval '2 hours')`,
      [accountId, t.app.get(SecretBox).seal(secrets.accessToken, accountId)],
    );
    // An enrolled TOTP seed with its recovery codes, and a pending one.
    const u = await newUser(t.ds, { role: 'agent' });
    totpUser = { email: u.email, password: u.password };
    const enrolled = await enrolTotp(await loginAs(t.url, u));
    totpSecret = enrolled.secret;
    secrets.totpSeed = enrolled.secret;
    enrolled.recoveryCodes.forEach((c, i) => (secrets[`recoveryCode${i}`] = c));
    const pending = await loginAs(t.url, await newUser(t.ds));
    secrets.pendingTotpSeed = (await pending.request<{ secret: string }>('POST', '/api/auth/totp/setup')).body.secret;
    // Passwords and session tokens.
    secrets.adminPassword = adminUser.password;
    secrets.sessionToken = admin.cookie.split('=')[1] ?? '';
  });
  afterAll(async () => {
    await t.close();
  });

  const expectCleanDump = () => {
    const dump = pgDump(t.db.url);
    expect(dump).toContain('INSERT INTO public.channel_accounts');
    expect(dump).toContain('v1:'); // sealed values are there…
    for (const [name, value] of Object.entries(secrets)) {
      expect([name, dump.includes(value)]).toEqual([name, false]); // …and no secret in clear
    }
  };

  it('pg_dump of the database contains no AppSecret, Token, EncodingAESKey, access token, TOTP seed, recovery code, password or session token', () => {
    expect(Object.keys(secrets)).toHaveLength(19);
    expectCleanDump();
  });

  it('re-encrypts every sealed value under the new key with the old one as APP_SECRET_KEY_PREVIOUS, all or nothing', async () => {
    // Without the old key nothing can be opened: the rotation aborts and changes nothing.
    const refused = rotate(t.db.url, { APP_SECRET_KEY: KEY_2 });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/APP_SECRET_KEY_PREVIOUS/);
    const before: { n: number }[] = await t.ds.query(
      `SELECT count(*)::int AS n FROM channel_accounts WHERE split_part(credentials, ':', 2) = $1`,
      [keyIdOf(Buffer.from(KEY_1, 'hex'))],
    );
    expect(before[0]?.n).toBe(1);

    const done = rotate(t.db.url, { APP_SECRET_KEY: KEY_2, APP_SECRET_KEY_PREVIOUS: KEY_1 });
    expect([done.status, done.stderr]).toEqual([0, '']);
    expect(done.stdout).toMatch(/Re-encrypted 4 secret\(s\)/);
    const again = rotate(t.db.url, { APP_SECRET_KEY: KEY_2, APP_SECRET_KEY_PREVIOUS: KEY_1 });
    expect(again.stdout).toMatch(/Re-encrypted 0 secret\(s\)/);

    // Every value now opens with the new key alone, to the same plaintext.
    const key2 = Buffer.from(KEY_2, 'base64');
    const onlyNew = new SecretBox({ id: keyIdOf(key2), key: key2 });
    const opened: string[] = [];
    for (const c of SEALED_COLUMNS) {
      const rows: Array<{ key: string; sealed: string }> = await t.ds.query(
        `SELECT "${c.key}"::text AS key, "${c.column}" AS sealed FROM "${c.table}" WHERE "${c.column}" IS NOT NULL`,
      );
      for (const r of rows) {
        expect(onlyNew.keyIdOf(r.sealed)).toBe(onlyNew.keyId);
        opened.push(onlyNew.open(r.sealed, c.aad(r.key)));
      }
    }
    const text = opened.join('\n');
    for (const name of [
      'appSecret',
      'token',
      'rotatedAesKey',
      'encodingAesKey',
      'accessToken',
      'totpSeed',
      'pendingTotpSeed',
    ]) {
      expect([name, text.includes(secrets[name] ?? '-')]).toEqual([name, true]);
    }
    const logged: { details: Record<string, unknown> }[] = await t.ds.query(
      `SELECT details FROM audit_log WHERE action = 'secrets.rotated'`,
    );
    expect(logged).toHaveLength(2);
    expectCleanDump();
  });

  it('serves from the rotated database with the new key only (TOTP login and account secrets)', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: t.db.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'inbox-test-data-')),
      APP_SECRET_KEY: KEY_2,
      LOG_LEVEL: 'silent',
    });
    const ds = createDataSource(t.db.url, 3);
    await ds.initialize();
    const app = await createApp(config, ds, createLogger('silent'));
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.getHttpServer().address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const c = new Browser(url);
      const r = await c.request('POST', '/api/auth/login', { ...totpUser, totp: await totpCode(totpSecret, 1) });
      expect(r.status).toBe(200);
      const admin = await loginAs(url, await newUser(t.ds, { role: 'admin' }));
      const account = await admin.request<{ secrets: Record<string, string> }>('GET', `/api/accounts/${accountId}`);
      expect(account.body.secrets).toMatchObject({ appSecret: 'set', token: 'set', previousEncodingAesKey: 'set' });
    } finally {
      await app.close();
      await ds.destroy();
    }
  });
});

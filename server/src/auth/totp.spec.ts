import { startTestApp, type TestApp } from '../../test/app';
import { newUser } from '../../test/factories/user.factory';
import { Browser, enrolTotp, loginAs, totpCode } from '../../test/identity';
import { connectSocket, expectRefused } from '../../test/realtime';

describe('two-factor authentication (TOTP, recovery codes, 2FA policy)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('enrols with a QR code, then needs a code at login and never accepts the same code twice', async () => {
    const u = await newUser(t.ds, { role: 'agent' });
    const c = await loginAs(t.url, u);
    const setup = await c.request<{ secret: string; otpauthUri: string; qrDataUrl: string }>(
      'POST',
      '/api/auth/totp/setup',
    );
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.body.otpauthUri).toContain(`secret=${setup.body.secret}`);
    expect(setup.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);

    const wrong = await c.request<{ code: string }>('POST', '/api/auth/totp/enable', { code: '000000' });
    expect(wrong.body.code).toBe('auth/totp_invalid');
    const enable = await c.request<{ recoveryCodes: string[] }>('POST', '/api/auth/totp/enable', {
      code: await totpCode(setup.body.secret),
    });
    expect(enable.status).toBe(200);
    expect(enable.body.recoveryCodes).toHaveLength(10);
    expect(new Set(enable.body.recoveryCodes).size).toBe(10);
    expect((await c.request<{ totpEnabled: boolean }>('GET', '/api/auth/me')).body.totpEnabled).toBe(true);
    expect((await c.request('POST', '/api/auth/totp/setup')).status).toBe(409);

    // Only a sealed seed and hashed recovery codes are stored.
    const stored = JSON.stringify(await t.ds.query(`SELECT * FROM users WHERE id = $1`, [u.id]));
    expect(stored).not.toContain(setup.body.secret);
    expect(stored).toMatch(/"totp_secret":"v1:/);
    const codes = JSON.stringify(
      await t.ds.query(`SELECT code_hash::text FROM recovery_codes WHERE user_id = $1`, [u.id]),
    );
    for (const code of enable.body.recoveryCodes) expect(codes).not.toContain(code.replace('-', ''));

    const login = (totp?: string) =>
      new Browser(t.url).request<{ code: string }>('POST', '/api/auth/login', {
        email: u.email,
        password: u.password,
        ...(totp ? { totp } : {}),
      });
    expect(await login()).toMatchObject({ status: 401, body: { code: 'auth/totp_required' } });
    // The code that confirmed the enrolment was used already.
    expect(await login(await totpCode(setup.body.secret))).toMatchObject({
      status: 401,
      body: { code: 'auth/totp_invalid' },
    });
    const next = await totpCode(setup.body.secret, 1); // the next step: within ±1 step of now
    expect((await login(next)).status).toBe(200);
    // Replay: the same code again, and an older one, are refused.
    expect(await login(next)).toMatchObject({ status: 401, body: { code: 'auth/totp_invalid' } });
    expect(await login(await totpCode(setup.body.secret, -1))).toMatchObject({
      status: 401,
      body: { code: 'auth/totp_invalid' },
    });
    // Two steps away is outside the window.
    expect((await login(await totpCode(setup.body.secret, 3))).status).toBe(401);
    expect((await login('12345x')).status).toBe(401);
  });

  it('accepts each recovery code once, whatever its case and dashes', async () => {
    const u = await newUser(t.ds, { role: 'supervisor' });
    const { recoveryCodes } = await enrolTotp(await loginAs(t.url, u));
    const [first, second] = recoveryCodes as [string, string];
    const login = (totp: string) =>
      new Browser(t.url).request<{ code: string }>('POST', '/api/auth/login', {
        email: u.email,
        password: u.password,
        totp,
      });
    expect((await login(first)).status).toBe(200);
    expect(await login(first)).toMatchObject({ status: 401, body: { code: 'auth/totp_invalid' } });
    expect((await login(second.toUpperCase().replace('-', ''))).status).toBe(200);
    expect((await login(second)).status).toBe(401);
    expect((await login('zzzzz-zzzzz')).status).toBe(401);
    const used: { n: number }[] = await t.ds.query(
      `SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL`,
      [u.id],
    );
    expect(used[0]?.n).toBe(2);
  });

  it('turns 2FA off with the password, and an admin can reset a lost device', async () => {
    const u = await newUser(t.ds, { role: 'agent' });
    const c = await loginAs(t.url, u);
    const { secret } = await enrolTotp(c);
    expect(
      (await c.request<{ code: string }>('POST', '/api/auth/totp/disable', { password: 'wrong-one-12' })).body.code,
    ).toBe('auth/wrong_password');
    const regenerated = await c.request<{ recoveryCodes: string[] }>('POST', '/api/auth/totp/recovery-codes', {
      password: u.password,
    });
    expect(regenerated.body.recoveryCodes).toHaveLength(10);
    expect((await c.request('POST', '/api/auth/totp/disable', { password: u.password })).status).toBe(204);
    expect((await c.request('POST', '/api/auth/totp/disable', { password: u.password })).status).toBe(409);
    await loginAs(t.url, u); // no code needed any more

    await enrolTotp(c);
    const admin = await loginAs(t.url, await newUser(t.ds, { role: 'admin' }));
    expect((await admin.request('DELETE', `/api/users/${u.id}/totp`)).status).toBe(204);
    await loginAs(t.url, u);
    expect(secret).toMatch(/^[A-Z2-7]+$/);
  });

  it('restricts a user of a role that requires 2FA to enrolment until they enrol', async () => {
    const admin = await loginAs(t.url, await newUser(t.ds, { role: 'admin' }));
    const policy = await admin.request('PUT', '/api/settings/security', {
      totpRequiredRoles: ['agent', 'supervisor'],
      maxSessionsPerUser: null,
    });
    expect(policy.body).toEqual({ totpRequiredRoles: ['agent', 'supervisor'], maxSessionsPerUser: null });
    try {
      const u = await newUser(t.ds, { role: 'agent' });
      const c = new Browser(t.url);
      const login = await c.request<{ user: { totpEnrolmentRequired: boolean; accountIds: string[] } }>(
        'POST',
        '/api/auth/login',
        { email: u.email, password: u.password },
      );
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ totpEnrolmentRequired: true, accountIds: [] });
      for (const [method, path] of [
        ['GET', '/api/conversations'],
        ['GET', '/api/accounts'],
        ['GET', '/api/sync'],
        ['GET', '/api/auth/sessions'],
        ['POST', '/api/auth/password'],
      ] as const) {
        const r = await c.request<{ code: string }>(method, path, method === 'POST' ? {} : undefined);
        expect([path, r.status, r.body.code]).toEqual([path, 403, 'auth/totp_enrolment_required']);
      }
      expect(await expectRefused(t.url, c.cookie)).toBe('auth/unauthenticated');
      expect((await c.request('GET', '/api/auth/me')).status).toBe(200);

      await enrolTotp(c);
      // The same session is now a full one.
      expect((await c.request('GET', '/api/conversations')).status).toBe(200);
      const s = await connectSocket(t.url, c.cookie);
      s.socket.close();
      // Admins are not covered by this policy: they log in normally.
      expect((await admin.request('GET', '/api/users')).status).toBe(200);
    } finally {
      await admin.request('PUT', '/api/settings/security', { totpRequiredRoles: [], maxSessionsPerUser: null });
    }
  });
});

import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { newUser } from '../../test/factories/user.factory';

describe('auth (real PostgreSQL, real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('logs in with an httpOnly session cookie, answers /me, and logs out for good', async () => {
    const u = await newUser(t.ds, { role: 'supervisor', name: 'Sue' });
    const c = new HttpClient(t.url);
    const login = await c.request<{ user: { id: string } }>('POST', '/api/auth/login', {
      email: u.email.toUpperCase(),
      password: u.password,
    });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(u.id);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^inbox_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const me = await c.request('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: u.id,
      email: u.email,
      name: 'Sue',
      role: 'supervisor',
      accountIds: [],
      totpEnabled: false,
      totpEnrolmentRequired: false,
    });

    // Only a hash of the token is stored.
    const token = c.cookie.split('=')[1] ?? '';
    const stored: { n: string }[] = await t.ds.query(
      `SELECT count(*) AS n FROM sessions WHERE token_hash::text LIKE '%' || $1 || '%'`,
      [token],
    );
    expect(stored[0]?.n).toBe('0');

    const saved = c.cookie;
    expect((await c.request('POST', '/api/auth/logout')).status).toBe(204);
    c.cookie = saved; // replaying the old cookie must not work
    const after = await c.request<{ code: string }>('GET', '/api/auth/me');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('auth/unauthenticated');
  });

  it('gives one answer for a wrong password, an unknown email and a disabled user', async () => {
    const u = await newUser(t.ds);
    const d = await newUser(t.ds, { disabled: true });
    const c = new HttpClient(t.url);
    for (const body of [
      { email: u.email, password: 'wrong-password' },
      { email: 'nobody@example.com', password: 'whatever-it-is' },
      { email: d.email, password: d.password },
    ]) {
      const r = await c.request('POST', '/api/auth/login', body);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        statusCode: 401,
        code: 'auth/invalid_credentials',
        message: 'Email or password is wrong',
      });
    }
    expect(c.cookie).toBe('');
  });

  it('ends the sessions of a user who is disabled', async () => {
    const u = await newUser(t.ds);
    const c = new HttpClient(t.url);
    await c.request('POST', '/api/auth/login', { email: u.email, password: u.password });
    expect((await c.request('GET', '/api/auth/me')).status).toBe(200);
    await t.ds.query('UPDATE users SET disabled = true WHERE id = $1', [u.id]);
    expect((await c.request('GET', '/api/auth/me')).status).toBe(401);
  });

  it('rejects a malformed login with validation/failed naming the fields', async () => {
    const r = await new HttpClient(t.url).request<{ code: string; fields: Record<string, string[]> }>(
      'POST',
      '/api/auth/login',
      { email: 'x', extra: 1 },
    );
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('validation/failed');
    expect(Object.keys(r.body.fields).sort()).toEqual(['email', 'extra', 'password']);
  });

  it('lets only admins create users, and refuses a duplicate email with 409', async () => {
    const admin = await newUser(t.ds, { role: 'admin' });
    const agent = await newUser(t.ds, { role: 'agent' });
    const a = new HttpClient(t.url);
    await a.request('POST', '/api/auth/login', { email: admin.email, password: admin.password });
    const g = new HttpClient(t.url);
    await g.request('POST', '/api/auth/login', { email: agent.email, password: agent.password });
    const body = { email: 'new.agent@example.com', name: 'New', password: 'long-enough-pw', role: 'agent' };
    expect((await g.request('POST', '/api/users', body)).status).toBe(403);
    expect((await new HttpClient(t.url).request('POST', '/api/users', body)).status).toBe(401);
    const made = await a.request<{ id: string; email: string }>('POST', '/api/users', body);
    expect(made.status).toBe(201);
    expect(made.body.email).toBe('new.agent@example.com');
    expect(made.body).not.toHaveProperty('password_hash');
    const dup = await a.request<{ code: string }>('POST', '/api/users', { ...body, email: 'NEW.agent@example.com' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('users/email_taken');
    const rows: { password_hash: string }[] = await t.ds.query(
      `SELECT password_hash FROM users WHERE email = 'new.agent@example.com'`,
    );
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });
});

import { startTestApp, type TestApp } from '../../test/app';
import { newUser } from '../../test/factories/user.factory';
import { Browser, loginAs } from '../../test/identity';
import { connectSocket, expectRefused } from '../../test/realtime';

describe('CSRF origin check, security headers, no CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://inbox.example.com' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses unsafe /api requests from a foreign Origin with 403 auth/origin_forbidden, before anything else', async () => {
    const u = await newUser(t.ds, { role: 'admin' });
    const login = { email: u.email, password: u.password };
    for (const origin of [
      'https://evil.example.com',
      'null',
      'http://inbox.example.com',
      'https://inbox.example.com.evil.io',
    ]) {
      const r = await new Browser(t.url).request<{ code: string }>('POST', '/api/auth/login', login, { origin });
      expect([origin, r.status, r.body.code]).toEqual([origin, 403, 'auth/origin_forbidden']);
    }
    const c = await loginAs(t.url, u);
    for (const [method, path] of [
      ['POST', '/api/users'],
      ['PATCH', `/api/users/${u.id}`],
      ['PUT', '/api/settings/security'],
      ['DELETE', `/api/users/${u.id}/sessions`],
      ['POST', '/api/auth/logout'],
    ] as const) {
      const r = await c.request<{ code: string }>(method, path, {}, { origin: 'https://evil.example.com' });
      expect([method, path, r.status, r.body.code]).toEqual([method, path, 403, 'auth/origin_forbidden']);
    }
    // Still logged in: the forged logout did nothing.
    expect((await c.request('GET', '/api/auth/me', undefined, { origin: 'https://evil.example.com' })).status).toBe(
      200,
    );
    // PUBLIC_URL's origin, this server's own host, and no Origin at all (scripts) pass.
    const variants: Array<Record<string, string>> = [{ origin: 'https://inbox.example.com' }, { origin: t.url }, {}];
    for (const headers of variants) {
      expect((await new Browser(t.url).request('POST', '/api/auth/login', login, headers)).status).toBe(200);
    }
  });

  it('leaves the WeChat callbacks alone (they are signed, not cookie-authenticated)', async () => {
    const r = await fetch(
      `${t.url}/webhooks/wechat/00000000-0000-4000-8000-000000000000?signature=x&timestamp=1&nonce=2`,
      {
        method: 'POST',
        headers: { origin: 'https://evil.example.com', 'content-type': 'text/xml' },
        body: '<xml></xml>',
      },
    );
    expect(r.status).not.toBe(403);
    expect(((await r.json()) as { code: string }).code).not.toBe('auth/origin_forbidden');
  });

  it('sends helmet security headers with a CSP for the console, HSTS over https, and no CORS headers', async () => {
    const r = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://evil.example.com' } });
    const csp = r.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self' wss://inbox.example.com",
      "object-src 'none'",
      "frame-ancestors 'none'",
      'upgrade-insecure-requests',
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-eval');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${t.url}/api/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('checks the Origin of the websocket handshake too', async () => {
    const c = await loginAs(t.url, await newUser(t.ds));
    expect(await expectRefused(t.url, c.cookie, 'https://evil.example.com')).toBe('auth/unauthenticated');
    const ok = await connectSocket(t.url, c.cookie, 'https://inbox.example.com');
    ok.socket.close();
  });
});

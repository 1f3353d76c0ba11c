import type { SessionInfo } from '@inbox/shared';
import { startTestApp, type TestApp } from '../../test/app';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { Browser, loginAs } from '../../test/identity';
import { connectSocket } from '../../test/realtime';

/** Resolves with the disconnect reason and how long after `since` it came; rejects after `ms`. */
function disconnected(socket: { once(e: 'disconnect', cb: (reason: string) => void): unknown }, ms = 1000) {
  const since = Date.now();
  return new Promise<{ reason: string; after: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still connected after ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve({ reason, after: Date.now() - since });
    });
  });
}

describe('sessions: list, revoke, password change, disabling, cap (real HTTP and socket.io)', () => {
  let t: TestApp;
  let admin: Browser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t.url, await newUser(t.ds, { role: 'admin' }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists my sessions with device, IP and the current one, and revokes one: its socket is disconnected at once', async () => {
    const u = await newUser(t.ds, { role: 'agent' });
    const laptop = await loginAs(t.url, u, {
      headers: {
        'user-agent':
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
      },
    });
    const phone = await loginAs(t.url, u, {
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49' },
    });
    const list = await laptop.request<SessionInfo[]>('GET', '/api/auth/sessions');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    const mine = list.body.find((s) => s.current);
    const other = list.body.find((s) => !s.current);
    expect(mine).toMatchObject({ device: 'Chrome on macOS', ip: laptop.ip });
    expect(other).toMatchObject({ device: 'WeChat on iOS', ip: phone.ip });
    expect(new Date(other?.lastSeenAt ?? 0).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const socket = await connectSocket(t.url, phone.cookie);
    const closed = disconnected(socket.socket);
    expect((await laptop.request('DELETE', `/api/auth/sessions/${other?.id}`)).status).toBe(204);
    expect((await closed).reason).toBe('io server disconnect');
    expect(socket.events.map((e) => e.event)).toContain('session.revoked');
    expect((await phone.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await laptop.request('GET', '/api/auth/me')).status).toBe(200);
    // Already revoked, someone else's, or not an id at all: 404.
    expect((await laptop.request('DELETE', `/api/auth/sessions/${other?.id}`)).status).toBe(404);
    const stranger = await loginAs(t.url, await newUser(t.ds));
    const strangers = await stranger.request<SessionInfo[]>('GET', '/api/auth/sessions');
    expect((await laptop.request('DELETE', `/api/auth/sessions/${strangers.body[0]?.id}`)).status).toBe(404);
    expect((await stranger.request('GET', '/api/auth/me')).status).toBe(200);
    expect((await laptop.request('DELETE', '/api/auth/sessions/nope')).status).toBe(404);
  });

  it('logs out everywhere else', async () => {
    const u = await newUser(t.ds);
    const [a, b, c] = [await loginAs(t.url, u), await loginAs(t.url, u), await loginAs(t.url, u)];
    const sb = await connectSocket(t.url, b.cookie);
    const closed = disconnected(sb.socket);
    expect((await a.request('POST', '/api/auth/sessions/revoke-others')).body).toEqual({ revoked: 2 });
    await closed;
    expect((await b.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await c.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await a.request<SessionInfo[]>('GET', '/api/auth/sessions')).body).toHaveLength(1);
  });

  it('changes my password under the policy; the other sessions end and the old password stops working', async () => {
    const u = await newUser(t.ds);
    const a = await loginAs(t.url, u);
    const b = await loginAs(t.url, u);
    const sb = await connectSocket(t.url, b.cookie);
    const wrong = await a.request<{ code: string }>('POST', '/api/auth/password', {
      currentPassword: 'not-my-password',
      newPassword: 'a-much-better-passphrase',
    });
    expect(wrong).toMatchObject({ status: 403, body: { code: 'auth/wrong_password' } });
    for (const weak of ['password123', 'qwertyuiop', 'aaaaaaaaaaaa', u.email, 'short']) {
      const r = await a.request<{ code: string; fields: Record<string, string[]> }>('POST', '/api/auth/password', {
        currentPassword: u.password,
        newPassword: weak,
      });
      expect([weak, r.status, r.body.code, Object.keys(r.body.fields)]).toEqual([
        weak,
        400,
        'auth/weak_password',
        ['newPassword'],
      ]);
    }
    const closed = disconnected(sb.socket);
    const ok = await a.request('POST', '/api/auth/password', {
      currentPassword: u.password,
      newPassword: 'correct horse battery staple',
    });
    expect(ok.status).toBe(204);
    await closed;
    expect((await b.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await a.request('GET', '/api/auth/me')).status).toBe(200);
    const old = await new Browser(t.url).request('POST', '/api/auth/login', { email: u.email, password: u.password });
    expect(old.status).toBe(401);
    await loginAs(t.url, { email: u.email, password: 'correct horse battery staple' });
  });

  it('lets an admin reset a password, log a user out everywhere, and disable them: sockets close each time', async () => {
    const u: MadeUser = await newUser(t.ds, { role: 'supervisor' });
    let c = await loginAs(t.url, u);
    let s = await connectSocket(t.url, c.cookie);
    let closed = disconnected(s.socket);
    expect((await admin.request('DELETE', `/api/users/${u.id}/sessions`)).body).toEqual({ revoked: 1 });
    await closed;

    c = await loginAs(t.url, u);
    s = await connectSocket(t.url, c.cookie);
    expect(
      (await admin.request<{ code: string }>('POST', `/api/users/${u.id}/password`, { password: '1234567890' })).body
        .code,
    ).toBe('auth/weak_password');
    closed = disconnected(s.socket);
    expect(
      (await admin.request('POST', `/api/users/${u.id}/password`, { password: 'reset-by-admin-2024' })).status,
    ).toBe(204);
    await closed;
    u.password = 'reset-by-admin-2024';

    c = await loginAs(t.url, u);
    s = await connectSocket(t.url, c.cookie);
    closed = disconnected(s.socket);
    const off = await admin.request<{ disabled: boolean }>('PATCH', `/api/users/${u.id}`, { disabled: true });
    expect(off.body.disabled).toBe(true);
    await closed;
    expect((await c.request('GET', '/api/auth/me')).status).toBe(401);
    const login = { email: u.email, password: u.password };
    expect((await new Browser(t.url).request('POST', '/api/auth/login', login)).status).toBe(401);
    await admin.request('PATCH', `/api/users/${u.id}`, { disabled: false });
    await loginAs(t.url, u);

    expect((await admin.request('DELETE', '/api/users/00000000-0000-4000-8000-000000000000/sessions')).status).toBe(
      404,
    );
  });

  it('keeps admins from locking themselves out', async () => {
    const me = await admin.request<{ id: string }>('GET', '/api/auth/me');
    for (const body of [{ disabled: true }, { role: 'agent' }]) {
      const r = await admin.request<{ code: string }>('PATCH', `/api/users/${me.body.id}`, body);
      expect(r).toMatchObject({ status: 409, body: { code: 'users/cannot_change_self' } });
    }
    expect((await admin.request('PATCH', `/api/users/${me.body.id}`, { name: 'Still Admin' })).status).toBe(200);
  });

  it('revokes the oldest sessions beyond the per-user cap', async () => {
    await admin.request('PUT', '/api/settings/security', { totpRequiredRoles: [], maxSessionsPerUser: 2 });
    try {
      const u = await newUser(t.ds);
      const first = await loginAs(t.url, u);
      const s = await connectSocket(t.url, first.cookie);
      const closed = disconnected(s.socket);
      const second = await loginAs(t.url, u);
      const third = await loginAs(t.url, u);
      await closed;
      expect((await first.request('GET', '/api/auth/me')).status).toBe(401);
      expect((await second.request('GET', '/api/auth/me')).status).toBe(200);
      expect((await third.request<SessionInfo[]>('GET', '/api/auth/sessions')).body).toHaveLength(2);
    } finally {
      await admin.request('PUT', '/api/settings/security', { totpRequiredRoles: [], maxSessionsPerUser: null });
    }
  });
});

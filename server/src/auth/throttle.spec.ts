import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../app';
import { startTestApp, type TestApp } from '../../test/app';
import { newUser } from '../../test/factories/user.factory';
import { Browser, enrolTotp, loginAs, randomIp } from '../../test/identity';
import { createLogger } from '../common/logger';
import { createDataSource } from '../database/data-source';

describe('login and 2FA throttling (counters in PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const attempt = (url: string, ip: string, body: Record<string, string>) =>
    new Browser(url, ip).request<{ statusCode: number; code: string; message: string }>(
      'POST',
      '/api/auth/login',
      body,
    );

  it('answers 429 with Retry-After after 5 failures from one IP in 20 s, for a known and an unknown email alike', async () => {
    const u = await newUser(t.ds);
    for (const email of [u.email, `nobody-${randomIp()}@example.com`]) {
      const ip = randomIp();
      for (let i = 0; i < 5; i++) {
        const r = await attempt(t.url, ip, { email, password: 'wrong-password-1' });
        expect(r.body).toEqual({
          statusCode: 401,
          code: 'auth/invalid_credentials',
          message: 'Email or password is wrong',
        });
      }
      const blocked = await attempt(t.url, ip, { email, password: 'wrong-password-1' });
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('auth/throttled');
      const retry = Number(blocked.headers.get('retry-after'));
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(20);
      // Even the right password waits at that address; another address is not affected.
      if (email === u.email) {
        expect((await attempt(t.url, ip, { email, password: u.password })).status).toBe(429);
        expect((await attempt(t.url, randomIp(), { email, password: u.password })).status).toBe(200);
      }
    }
  });

  it('limits one account to 20 failures in 5 minutes whatever the addresses, known or unknown', async () => {
    const u = await newUser(t.ds);
    for (const email of [u.email, `ghost-${randomIp()}@example.com`]) {
      for (let i = 0; i < 20; i++) {
        expect((await attempt(t.url, randomIp(), { email, password: 'wrong-password-2' })).status).toBe(401);
      }
      const blocked = await attempt(t.url, randomIp(), { email, password: 'wrong-password-2' });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(20);
      expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(300);
    }
  });

  it('does not count successful logins, and counts wrong second factors', async () => {
    const u = await newUser(t.ds);
    const ip = randomIp();
    for (let i = 0; i < 8; i++)
      expect((await attempt(t.url, ip, { email: u.email, password: u.password })).status).toBe(200);

    await enrolTotp(await loginAs(t.url, u));
    const ip2 = randomIp();
    // The password alone (answered totp_required) is not a failure either.
    for (let i = 0; i < 6; i++) {
      expect((await attempt(t.url, ip2, { email: u.email, password: u.password })).body.code).toBe(
        'auth/totp_required',
      );
    }
    for (let i = 0; i < 5; i++) {
      const r = await attempt(t.url, ip2, { email: u.email, password: u.password, totp: 'aaaaa-bbbbb' });
      expect(r.body.code).toBe('auth/totp_invalid');
    }
    expect((await attempt(t.url, ip2, { email: u.email, password: u.password, totp: 'aaaaa-bbbbb' })).status).toBe(429);
  });

  it('holds across instances: two servers on one database share the counters', async () => {
    const ds = createDataSource(t.db.url, 3);
    await ds.initialize();
    let second: NestFastifyApplication | undefined;
    try {
      second = await createApp(t.config, ds, createLogger('silent'));
      await second.listen({ port: 0, host: '127.0.0.1' });
      const address = second.getHttpServer().address();
      const url2 = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const u = await newUser(t.ds);
      const ip = randomIp();
      for (const url of [t.url, url2, t.url, url2, t.url]) {
        expect((await attempt(url, ip, { email: u.email, password: 'wrong-password-3' })).status).toBe(401);
      }
      expect((await attempt(url2, ip, { email: u.email, password: 'wrong-password-3' })).status).toBe(429);
      const rows: { hits: number }[] = await t.ds.query(`SELECT hits FROM auth_throttle WHERE key = $1`, [`ip:${ip}`]);
      expect(rows[0]?.hits).toBe(6);
    } finally {
      await second?.close();
      await ds.destroy();
    }
  });
});

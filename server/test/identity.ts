import { randomInt } from 'node:crypto';
import { totpNow } from '../src/auth/totp';
import { HttpClient } from './app';
import type { MadeUser } from './factories/user.factory';

/** An address of the benchmarking range (198.18.0.0/15), only ever sent as a header. */
export function randomIp(): string {
  return `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
}

/**
 * A browser on its own client address (sent as X-Forwarded-For, which the server trusts as a
 * proxy would set it), so tests do not share one per-IP login allowance.
 */
export class Browser extends HttpClient {
  constructor(
    readonly baseUrl: string,
    readonly ip = randomIp(),
  ) {
    super(baseUrl);
  }

  override request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    return super.request<T>(method, path, body, { 'x-forwarded-for': this.ip, ...headers });
  }
}

/** Logs a user in as a new browser; fails the test unless it worked. */
export async function loginAs(
  url: string,
  u: { email: string; password: string },
  extra: { totp?: string; headers?: Record<string, string> } = {},
): Promise<Browser> {
  const c = new Browser(url);
  const r = await c.request(
    'POST',
    '/api/auth/login',
    { email: u.email, password: u.password, ...(extra.totp ? { totp: extra.totp } : {}) },
    extra.headers,
  );
  if (r.status !== 200) throw new Error(`login of ${u.email} answered ${r.status} ${JSON.stringify(r.body)}`);
  return c;
}

/** The TOTP code of a step relative to now (0 = now, 1 = the next 30 s, -1 = the previous). */
export function totpCode(secret: string, stepOffset = 0): Promise<string> {
  return totpNow(secret, Math.floor(Date.now() / 1000) + stepOffset * 30);
}

/** Enrols TOTP for a logged-in client; answers the seed and the recovery codes. */
export async function enrolTotp(c: HttpClient): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await c.request<{ secret: string }>('POST', '/api/auth/totp/setup');
  if (setup.status !== 200) throw new Error(`totp setup answered ${setup.status}`);
  const enable = await c.request<{ recoveryCodes: string[] }>('POST', '/api/auth/totp/enable', {
    code: await totpCode(setup.body.secret),
  });
  if (enable.status !== 200) throw new Error(`totp enable answered ${enable.status} ${JSON.stringify(enable.body)}`);
  return { secret: setup.body.secret, recoveryCodes: enable.body.recoveryCodes };
}

/**
 * Polls a condition until it holds or `ms` pass (for effects that are asynchronous by design,
 * such as socket re-scoping); throws with `what` when it never holds.
 */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, ms = 1000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export type { MadeUser };

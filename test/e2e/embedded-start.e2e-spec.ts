import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '../support/server-process';

/** What `npm start` does on a machine with nothing but Node: embedded PostgreSQL, kept across restarts. */
describe('start on the embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'inbox-embedded-'));
  chmodSync(dataDir, 0o755); // as root, the postgres user must be able to reach the data folder
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the URL and a generated admin password, keeps data across restarts, and stops PostgreSQL on SIGINT', async () => {
    const first = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 120000);
    const out = first.output();
    expect(out).toContain(`Database: embedded PostgreSQL in ${join(dataDir, 'pg')}`);
    const password = /Password \(shown once, change it after logging in\): (\S+)/.exec(out)?.[1];
    expect(password).toBeDefined();
    const login = await fetch(`${first.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const made = await fetch(`${first.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ email: 'kept@example.com', name: 'Kept', password: 'kept-password-1', role: 'agent' }),
    });
    expect(made.status).toBe(201);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);

    expect(await first.stop('SIGINT')).toBe(0);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false); // PostgreSQL stopped cleanly

    const second = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 120000);
    try {
      expect(second.output()).not.toContain('First admin created');
      const again = await fetch(`${second.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'kept@example.com', password: 'kept-password-1' }),
      });
      expect(again.status).toBe(200);
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  });
});

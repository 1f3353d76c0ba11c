import { createTestDatabase } from '../support/db';
import { runServerExpectingFailure, startServerProcess, type ServerProcess } from '../support/server-process';

describe('the built app', () => {
  let db: { url: string; drop(): Promise<void> };
  let server: ServerProcess;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({
      DATABASE_URL: db.url,
      ADMIN_EMAIL: 'owner@example.com',
      ADMIN_PASSWORD: 'correct-horse-battery',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('is live and ready', async () => {
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'up', migrations: 'applied' });
  });

  it('serves the console at / and for client-side routes, and the API docs', async () => {
    for (const path of ['/', '/login', '/conversations/123']) {
      const res = await fetch(server.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toMatch(/<div id="app">/);
      expect(html).toMatch(/<script type="module"[^>]+src="\/assets\/index-[\w-]+\.js"/);
    }
    const asset = /src="(\/assets\/index-[\w-]+\.js)"/.exec(await (await fetch(server.url)).text())?.[1];
    expect((await fetch(server.url + asset)).status).toBe(200);
    expect((await fetch(`${server.url}/api/docs`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/nothing-here`)).status).toBe(404);
  });

  it('created the first admin from ADMIN_EMAIL / ADMIN_PASSWORD, who can log in', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password: 'correct-horse-battery' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe('admin');
    expect(server.output()).toContain('First admin created: owner@example.com');
    expect(server.output()).not.toContain('correct-horse-battery');
  });

  it.each([
    [{ PORT: 'eighty' }, 'Invalid configuration: PORT must be an integer between 0 and 65535 (got "eighty")'],
    [
      { DATABASE_URL: 'postgres//broken' },
      'Invalid configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://',
    ],
  ])('refuses to start with %j and says why in one line', async (env, line) => {
    const r = await runServerExpectingFailure(env);
    expect(r.code).toBe(1);
    expect(r.output.trim().split('\n')).toHaveLength(1);
    expect(r.output).toContain(line);
  });
});

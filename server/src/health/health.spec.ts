import { HttpClient, startTestApp, type TestApp } from '../../test/app';

describe('health and readiness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers liveness and readiness without a session, with a request id', async () => {
    const c = new HttpClient(t.url);
    const h = await c.request('GET', '/api/health');
    expect(h).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(h.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await c.request('GET', '/api/ready')).toMatchObject({
      status: 200,
      body: { status: 'ready', database: 'up', migrations: 'applied' },
    });
  });

  it('is not ready while a migration is pending', async () => {
    await t.ds.query(`DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations)`);
    const r = await new HttpClient(t.url).request('GET', '/api/ready');
    expect(r).toMatchObject({ status: 503, body: { status: 'not_ready', migrations: 'pending' } });
  });

  it('answers unknown API routes with the error shape', async () => {
    const r = await new HttpClient(t.url).request('GET', '/api/does-not-exist');
    expect(r).toEqual(
      expect.objectContaining({
        status: 404,
        body: { statusCode: 404, code: 'http/not_found', message: 'No route for GET /api/does-not-exist' },
      }),
    );
  });

  it('answers a malformed JSON body with a 400 in the error shape', async () => {
    const res = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ statusCode: 400, code: 'http/bad_request' });
  });
});

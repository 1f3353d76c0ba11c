import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { accountInput } from '../../test/factories/account.factory';
import { newUser } from '../../test/factories/user.factory';

interface AccountBody {
  id: string;
  callbackUrl: string;
  secrets: Record<string, string>;
  health: { tokenState: string; callbackVerifiedAt: string | null };
}

describe('accounts API (real PostgreSQL, real HTTP)', () => {
  let t: TestApp;
  let admin: HttpClient;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://inbox.example.com' });
    const a = await newUser(t.ds, { role: 'admin' });
    admin = new HttpClient(t.url);
    await admin.request('POST', '/api/auth/login', { email: a.email, password: a.password });
  });
  afterAll(async () => {
    await t.close();
  });

  it('links an account, shows its callback URL and never returns or stores a secret in clear', async () => {
    const input = accountInput('safe');
    const r = await admin.request<AccountBody>('POST', '/api/accounts', input);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: input.name,
      appId: input.appId,
      mode: 'safe',
      status: 'active',
      callbackUrl: `https://inbox.example.com/webhooks/wechat/${r.body.id}`,
      secrets: { appSecret: 'set', token: 'set', encodingAesKey: 'set', previousEncodingAesKey: 'not set' },
      health: { tokenState: 'none', callbackVerifiedAt: null },
    });
    const text =
      JSON.stringify((await admin.request('GET', `/api/accounts/${r.body.id}`)).body) +
      JSON.stringify((await admin.request('GET', '/api/accounts')).body);
    for (const secret of [input.appSecret, input.token, input.encodingAesKey]) expect(text).not.toContain(secret);
    const dump = JSON.stringify(await t.ds.query('SELECT * FROM channel_accounts'));
    for (const secret of [input.appSecret, input.token, input.encodingAesKey]) expect(dump).not.toContain(secret);
  });

  it.each([
    ['appId', { appId: 'wx123' }],
    ['appId', { appId: 'wxZZZZZZZZZZZZZZZZ' }],
    ['encodingAesKey', { encodingAesKey: 'a'.repeat(42) }],
    ['encodingAesKey', { encodingAesKey: 'a'.repeat(44) }],
    ['encodingAesKey', { encodingAesKey: `${'a'.repeat(42)}+` }],
    ['token', { token: 'ab' }],
    ['appSecret', { appSecret: 'short' }],
    ['originalId', { originalId: 'wx-not-gh' }],
    ['mode', { mode: 'secret' }],
  ])('refuses a bad %s with 400 naming the field, and stores nothing', async (field, over) => {
    const before: { n: string }[] = await t.ds.query('SELECT count(*) AS n FROM channel_accounts');
    const r = await admin.request<{ code: string; fields: Record<string, string[]> }>('POST', '/api/accounts', {
      ...accountInput('safe'),
      ...over,
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('validation/failed');
    expect(Object.keys(r.body.fields)).toEqual([field]);
    expect(await t.ds.query('SELECT count(*) AS n FROM channel_accounts')).toEqual(before);
  });

  it('needs an EncodingAESKey in safe and compatible mode but not in plaintext mode', async () => {
    const { encodingAesKey: _k, ...noKey } = accountInput('safe');
    expect((await admin.request('POST', '/api/accounts', noKey)).status).toBe(400);
    const plain = await admin.request<AccountBody>('POST', '/api/accounts', { ...noKey, mode: 'plaintext' });
    expect(plain.status).toBe(201);
    expect(plain.body.secrets.encodingAesKey).toBe('not set');
    expect((await admin.request('PATCH', `/api/accounts/${plain.body.id}`, { mode: 'safe' })).status).toBe(400);
  });

  it('refuses linking the same AppID twice with 409', async () => {
    const input = accountInput('plaintext');
    expect((await admin.request('POST', '/api/accounts', input)).status).toBe(201);
    const again = await admin.request<{ code: string }>('POST', '/api/accounts', { ...input, name: 'again' });
    expect(again).toMatchObject({ status: 409, body: { code: 'accounts/app_id_taken' } });
  });

  it('rotates the EncodingAESKey keeping the previous one, disables and deletes', async () => {
    const r = await admin.request<AccountBody>('POST', '/api/accounts', accountInput('safe'));
    const rotated = await admin.request<AccountBody & { status: string }>('PATCH', `/api/accounts/${r.body.id}`, {
      encodingAesKey: 'B'.repeat(43),
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secrets.previousEncodingAesKey).toBe('set');
    const disabled = await admin.request<{ status: string }>('PATCH', `/api/accounts/${r.body.id}`, {
      status: 'disabled',
    });
    expect(disabled.body.status).toBe('disabled');
    expect((await admin.request('DELETE', `/api/accounts/${r.body.id}`)).status).toBe(204);
    expect((await admin.request('GET', `/api/accounts/${r.body.id}`)).status).toBe(404);
    expect((await admin.request('GET', '/api/accounts/not-a-uuid')).status).toBe(404);
  });

  it('shows agents only the accounts they are members of, and lets only admins change accounts', async () => {
    const a = await admin.request<AccountBody>('POST', '/api/accounts', accountInput('safe'));
    const b = await admin.request<AccountBody>('POST', '/api/accounts', accountInput('safe'));
    const agentUser = await newUser(t.ds, { role: 'agent' });
    const manager = await newUser(t.ds, { role: 'manager' });
    expect(
      (await admin.request('PUT', `/api/accounts/${a.body.id}/members`, { userIds: [agentUser.id] })).body,
    ).toEqual({ userIds: [agentUser.id] });
    expect((await admin.request('GET', `/api/accounts/${a.body.id}/members`)).body).toEqual({
      userIds: [agentUser.id],
    });
    const bad = await admin.request<{ code: string }>('PUT', `/api/accounts/${a.body.id}/members`, {
      userIds: [manager.id],
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation/failed' } });

    const agent = new HttpClient(t.url);
    await agent.request('POST', '/api/auth/login', { email: agentUser.email, password: agentUser.password });
    const list = await agent.request<AccountBody[]>('GET', '/api/accounts');
    expect(list.body.map((x) => x.id)).toEqual([a.body.id]);
    expect((await agent.request('GET', `/api/accounts/${a.body.id}`)).status).toBe(200);
    expect((await agent.request<{ code: string }>('GET', `/api/accounts/${b.body.id}`)).body.code).toBe(
      'accounts/not_found',
    );
    expect((await agent.request('GET', '/api/auth/me')).body).toMatchObject({ accountIds: [a.body.id] });
    expect((await agent.request('PATCH', `/api/accounts/${a.body.id}`, { name: 'x' })).status).toBe(403);
    expect((await agent.request('POST', '/api/accounts', accountInput())).status).toBe(403);
    expect((await agent.request('DELETE', `/api/accounts/${a.body.id}`)).status).toBe(403);
    expect((await new HttpClient(t.url).request('GET', '/api/accounts')).status).toBe(401);
  });
});

import type {
  Conversation,
  Message,
  Page,
  SandboxAccount,
  SandboxCustomer,
  SandboxInbox,
  SandboxPushResult,
} from '@inbox/shared';
import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { AccountsService } from '../accounts/accounts.service';
import { WechatApiClient } from '../channels/wechat/wechat-api.client';
import { DEFAULT_WINDOW_POLICY, WechatWebhookService } from '../channels/wechat/wechat-webhook.service';
import { SandboxService } from './sandbox.service';

const SEND = '/cgi-bin/message/custom/send';

/** Polls until `probe` returns a value (no fixed sleeps: it returns as soon as the condition holds). */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function login(t: TestApp, user: MadeUser): Promise<HttpClient> {
  const http = new HttpClient(t.url);
  const res = await http.request('POST', '/api/auth/login', { email: user.email, password: user.password });
  expect(res.status).toBe(200);
  return http;
}

/**
 * The sandbox end to end: the real app started with SANDBOX=1 and no WECHAT_API_BASE plays WeChat for itself.
 * Customers write through the control API (signed, encrypted pushes to the real callback URL), agents answer
 * through the real outbound path, and the customer's phone shows what WeChat delivered or refused.
 * Window and quota expectations are those of the protocol doc §6.3/§6.4, not read from the simulator.
 */
describe('sandbox on (SANDBOX=1, WECHAT_API_BASE unset)', () => {
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  let agent: MadeUser;
  let admin: MadeUser;
  let agentHttp: HttpClient;
  let adminHttp: HttpClient;
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX: '1' });
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'plaintext');
    agent = await newUser(t.ds, { role: 'agent' });
    admin = await newUser(t.ds, { role: 'admin' });
    await t.app.get(AccountsService).setMembers(a.id, [agent.id]);
    await t.app.get(AccountsService).setMembers(b.id, [agent.id]);
    agentHttp = await login(t, agent);
    adminHttp = await login(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  const customer = async (account: MadeAccount, body: Record<string, unknown> = {}) => {
    const res = await agentHttp.request<SandboxCustomer>('POST', `/api/sandbox/accounts/${account.id}/customers`, body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const says = async (account: MadeAccount, openid: string, body: Record<string, unknown>) => {
    const res = await agentHttp.request<SandboxPushResult>(
      'POST',
      `/api/sandbox/accounts/${account.id}/customers/${openid}/messages`,
      body,
    );
    expect(res.status).toBe(200);
    return res.body;
  };
  const event = async (account: MadeAccount, openid: string, body: Record<string, unknown>) => {
    const res = await agentHttp.request<SandboxPushResult>(
      'POST',
      `/api/sandbox/accounts/${account.id}/customers/${openid}/events`,
      body,
    );
    expect(res.status).toBe(200);
    return res.body;
  };
  const phone = async (account: MadeAccount, openid: string) => {
    const res = await agentHttp.request<SandboxInbox>(
      'GET',
      `/api/sandbox/accounts/${account.id}/customers/${openid}/inbox`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };
  const conversationOf = (account: MadeAccount, openid: string) =>
    eventually(async () => {
      const page = await agentHttp.request<Page<Conversation>>(
        'GET',
        `/api/conversations?accountId=${account.id}&limit=100`,
      );
      return page.body.items.find((c) => c.contact.openid === openid && c.status !== 'resolved');
    }, `the conversation of ${openid}`);
  const reply = async (c: Conversation, text: string) => {
    const r = await agentHttp.request<Message>('POST', `/api/conversations/${c.id}/messages`, {
      type: 'text',
      text,
      clientMessageId: `sandbox-spec-${++seq}`,
    });
    expect(r.status).toBe(201);
    return r.body;
  };
  const finalState = (m: Message) =>
    eventually(async () => {
      const page = await agentHttp.request<Page<Message>>('GET', `/api/conversations/${m.conversationId}/messages`);
      const found = page.body.items.find((x) => x.id === m.id);
      return found && (found.status === 'sent' || found.status === 'failed') ? found : undefined;
    }, `message ${m.id} to be sent or failed`);

  it("points the WeChat client at this server's own /sandbox/wechat, which answers as WeChat", async () => {
    expect(t.app.get(WechatApiClient).baseUrl).toBe(`${t.url}/sandbox/wechat`);
    // An account linked after start is known to the sandbox as soon as a token is asked for.
    const c = await newAccount(t.app, 'compatible');
    const res = await fetch(`${t.url}/sandbox/wechat/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: c.appId, secret: c.appSecret }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    const wrong = await fetch(`${t.url}/sandbox/wechat/cgi-bin/stable_token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credential', appid: c.appId, secret: 'x'.repeat(32) }),
    });
    expect(await wrong.json()).toMatchObject({ errcode: 40125 });
  });

  it('lists every linked account as a sandbox app, to any logged-in user only', async () => {
    const res = await agentHttp.request<SandboxAccount[]>('GET', '/api/sandbox/accounts');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: a.id,
          appId: a.appId,
          originalId: a.originalId,
          mode: 'safe',
          callbackUrl: `${t.url}/webhooks/wechat/${a.id}`,
        }),
        expect.objectContaining({ id: b.id, mode: 'plaintext' }),
      ]),
    );
    const anonymous = await new HttpClient(t.url).request('GET', '/api/sandbox/accounts');
    expect(anonymous.status).toBe(401);
  });

  it('keeps an agent out of the sandbox customers of accounts they are not a member of', async () => {
    const outsider = await newUser(t.ds, { role: 'agent' });
    const c = await login(t, outsider);
    const list = await c.request<SandboxAccount[]>('GET', '/api/sandbox/accounts');
    expect(list.body.map((x) => x.id)).not.toContain(a.id);
    const created = await c.request<{ code: string }>('POST', `/api/sandbox/accounts/${a.id}/customers`, {
      displayName: 'Mallory',
    });
    expect(created.status).toBe(404);
    expect(created.body.code).toBe('accounts/not_found');
    expect((await c.request('GET', `/api/sandbox/accounts/${a.id}/customers`)).status).toBe(404);
  });

  it('a customer writes, an agent sees it and replies, and the reply reaches that customer through the right account', async () => {
    const alice = await customer(a, { displayName: '王小明' });
    expect(alice).toEqual({
      openid: expect.stringMatching(/^o/),
      displayName: '王小明',
      subscribed: true,
      window: null,
    });
    const bob = await customer(b, { openid: 'oBobSandbox', displayName: 'Bob' });
    expect(bob.openid).toBe('oBobSandbox');

    const pushed = await says(a, alice.openid, { type: 'text', text: '你好，我的快递到哪了？' });
    expect(pushed).toMatchObject({
      accountId: a.id,
      openid: alice.openid,
      msgType: 'text',
      delivered: true,
      msgId: expect.stringMatching(/^\d{19}$/),
    });
    expect(pushed.attempts).toEqual([
      expect.objectContaining({ attempt: 1, status: 200, body: 'success', outcome: 'accepted' }),
    ]);
    await says(b, bob.openid, { type: 'text', text: 'Hello from Bob' });

    const ca = await conversationOf(a, alice.openid);
    expect(ca.lastMessage).toMatchObject({ text: '你好，我的快递到哪了？', direction: 'in' });
    const cb = await conversationOf(b, bob.openid);

    const ma = await reply(ca, '您好，已经发货了！');
    const mb = await reply(cb, 'Hi Bob');
    expect((await finalState(ma)).status).toBe('sent');
    expect((await finalState(mb)).status).toBe('sent');

    const aliceSees = await phone(a, alice.openid);
    expect(aliceSees.customer.window).toEqual({ remaining: 4, expiresAt: expect.any(String) });
    expect(aliceSees.items.map((i) => [i.kind, 'summary' in i ? i.summary : i.text])).toEqual([
      ['customer', '你好，我的快递到哪了？'],
      ['received', '您好，已经发货了！'],
    ]);
    expect(aliceSees.items[1]).toMatchObject({ kind: 'received', msgtype: 'text', message: { touser: alice.openid } });
    const bobSees = await phone(b, bob.openid);
    expect(bobSees.items.filter((i) => i.kind === 'received').map((i) => i.kind === 'received' && i.text)).toEqual([
      'Hi Bob',
    ]);
    // Through the right account: WeChat took each reply on its own app's token.
    const sim = t.app.get(SandboxService).sim;
    expect(sim.sent.filter((s) => s.openid === alice.openid).map((s) => s.appId)).toEqual([a.appId]);
    expect(sim.sent.filter((s) => s.openid === bob.openid).map((s) => s.appId)).toEqual([b.appId]);
  });

  it('an image arrives with a PicUrl and MediaId the sandbox serves', async () => {
    const c = await customer(a);
    const pushed = await says(a, c.openid, { type: 'image' });
    expect(pushed.delivered).toBe(true);
    const conv = await conversationOf(a, c.openid);
    const page = await agentHttp.request<Page<Message>>('GET', `/api/conversations/${conv.id}/messages`);
    const image = page.body.items.find((m) => m.type === 'image');
    expect(image?.payload).toMatchObject({
      MediaId: expect.any(String),
      PicUrl: expect.stringContaining('/sandbox/wechat/'),
    });
    const pic = await fetch(String(image?.payload.PicUrl));
    expect(pic.status).toBe(200);
    expect(pic.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await pic.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('refuses bad requests: missing fields, unknown customers and accounts, customers who do not follow', async () => {
    const c = await customer(b);
    const base = `/api/sandbox/accounts/${b.id}/customers/${c.openid}`;
    const noText = await agentHttp.request('POST', `${base}/messages`, { type: 'text' });
    expect(noText).toMatchObject({ status: 400, body: { code: 'validation/failed' } });
    const badType = await agentHttp.request('POST', `${base}/messages`, { type: 'sticker' });
    expect(badType.status).toBe(400);
    const noScene = await agentHttp.request('POST', `${base}/events`, { event: 'SCAN' });
    expect(noScene.status).toBe(400);
    const unknown = await agentHttp.request('POST', `/api/sandbox/accounts/${b.id}/customers/oNobody/messages`, {
      type: 'text',
      text: 'hi',
    });
    expect(unknown.status).toBe(404);
    const noAccount = await agentHttp.request(
      'GET',
      `/api/sandbox/accounts/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/customers`,
    );
    expect(noAccount).toMatchObject({ status: 404, body: { code: 'accounts/not_found' } });

    const stranger = await customer(b, { subscribed: false });
    const res = await agentHttp.request('POST', `/api/sandbox/accounts/${b.id}/customers/${stranger.openid}/messages`, {
      type: 'text',
      text: 'let me in',
    });
    expect(res).toMatchObject({ status: 400, body: { code: 'validation/failed' } });
    await event(b, stranger.openid, { event: 'subscribe', eventKey: 'poster' });
    expect((await says(b, stranger.openid, { type: 'text', text: 'in now' })).delivered).toBe(true);
    const list = await agentHttp.request<SandboxCustomer[]>('GET', `/api/sandbox/accounts/${b.id}/customers`);
    expect(list.body.find((x) => x.openid === stranger.openid)).toMatchObject({ subscribed: true });
  });

  it('fault injection is for admins; a refusal it causes shows on the phone as "WeChat would have refused this"', async () => {
    const url = `/api/sandbox/accounts/${a.id}/fault`;
    const fault = { errcode: 43004, paths: [SEND], times: 1 };
    expect((await agentHttp.request('PUT', url, fault)).status).toBe(403);
    expect((await adminHttp.request('PUT', url, fault)).status).toBe(204);

    const c = await customer(a);
    await says(a, c.openid, { type: 'text', text: 'hello?' });
    const m = await reply(await conversationOf(a, c.openid), 'this one is refused');
    expect(await finalState(m)).toMatchObject({ status: 'failed', errorCode: '43004' });
    const seen = await phone(a, c.openid);
    expect(seen.items.at(-1)).toMatchObject({
      kind: 'refused',
      text: 'this one is refused',
      refusal: { errcode: 43004, reason: expect.stringMatching(/follow/) },
    });
    expect((await adminHttp.request('DELETE', url)).status).toBe(204);
    expect((await adminHttp.request('PUT', url, { httpStatus: 200 })).status).toBe(400);
  });

  it('the 6th reply in a 48-hour window is refused with 45047', async () => {
    // The inbox would stop the 6th reply itself; let it through so WeChat's own count decides.
    const webhook = t.app.get(WechatWebhookService);
    webhook.policy = { ...DEFAULT_WINDOW_POLICY, longSends: 10 };
    try {
      const c = await customer(b);
      await says(b, c.openid, { type: 'text', text: 'tell me everything' });
      const conv = await conversationOf(b, c.openid);
      const sent: Message[] = [];
      for (let i = 1; i <= 6; i++) sent.push(await reply(conv, `part ${i}`));
      const finals = await Promise.all(sent.map((m) => finalState(m)));
      expect(finals.filter((m) => m.status === 'sent')).toHaveLength(5);
      expect(finals.filter((m) => m.status === 'failed').map((m) => m.errorCode)).toEqual(['45047']);

      const seen = await phone(b, c.openid);
      expect(seen.items.filter((i) => i.kind === 'received')).toHaveLength(5);
      const refused = seen.items.filter((i) => i.kind === 'refused');
      expect(refused).toEqual([
        expect.objectContaining({ refusal: expect.objectContaining({ errcode: 45047, reason: expect.any(String) }) }),
      ]);
      expect(seen.customer.window).toEqual({ remaining: 0, expiresAt: expect.any(String) });
    } finally {
      webhook.policy = DEFAULT_WINDOW_POLICY;
    }
  });

  // Moves WeChat's clock: keep it last.
  it('a reply after the 1-minute window a follow opened is refused with 45015', async () => {
    const c = await customer(a, { subscribed: false });
    const followed = await event(a, c.openid, { event: 'subscribe', eventKey: 'spring_sale' });
    expect(followed).toMatchObject({ msgType: 'event', event: 'subscribe', delivered: true });
    expect((await phone(a, c.openid)).customer.window).toEqual({ remaining: 3, expiresAt: expect.any(String) });
    const conv = await conversationOf(a, c.openid);

    t.app.get(SandboxService).advanceClock(61_000);
    expect((await phone(a, c.openid)).customer.window).toBeNull();
    const m = await reply(conv, 'welcome!');
    expect(await finalState(m)).toMatchObject({ status: 'failed', errorCode: '45015' });
    const seen = await phone(a, c.openid);
    expect(seen.items.map((i) => i.kind)).toEqual(['customer', 'refused']);
    expect(seen.items[1]).toMatchObject({
      kind: 'refused',
      text: 'welcome!',
      refusal: { errcode: 45015, reason: expect.stringMatching(/window/) },
    });
  });
});

describe('sandbox off', () => {
  let t: TestApp;
  let http: HttpClient;

  beforeAll(async () => {
    t = await startTestApp();
    http = await login(t, await newUser(t.ds, { role: 'admin' }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 404 on /api/sandbox and does not mount /sandbox/wechat', async () => {
    expect(t.config.sandbox).toBe(false);
    expect((await http.request('GET', '/api/sandbox/accounts')).status).toBe(404);
    const token = await fetch(`${t.url}/sandbox/wechat/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: 'wx0000000000000000', secret: 'x' }),
    });
    expect(token.status).toBe(404);
    expect((await fetch(`${t.url}/sandbox/wechat/cgi-bin/token?grant_type=client_credential`)).status).toBe(404);
    expect(t.app.get(WechatApiClient).baseUrl).toBe('https://api.weixin.qq.com');
  });
});

describe('sandbox on with WECHAT_API_BASE set', () => {
  it('leaves sends where WECHAT_API_BASE says', async () => {
    const t = await startTestApp({ SANDBOX: '1', WECHAT_API_BASE: 'http://127.0.0.1:9/elsewhere' });
    try {
      expect(t.app.get(WechatApiClient).baseUrl).toBe('http://127.0.0.1:9/elsewhere');
      const res = await fetch(`${t.url}/sandbox/wechat/cgi-bin/token`);
      expect(res.status).toBe(200); // still mounted, for the phone page
    } finally {
      await t.close();
    }
  });
});

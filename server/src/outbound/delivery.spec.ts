import type { Conversation, Message, Page } from '@inbox/shared';
import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { connectSocket } from '../../test/realtime';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';
import { InboxEvents as InboxEventsToken } from '../events/inbox-events';
import { startWechatApiServer, type RunningWechatApiServer } from '../sandbox/wechat-api.server';
import { WechatApiSimulator } from '../sandbox/wechat-api.simulator';

/** Replies go out through the conversation's own account to the sandbox, which speaks WeChat's API over HTTP. */
describe('reply delivery (real PostgreSQL, pg-boss, HTTP to the WeChat sandbox)', () => {
  let sim: WechatApiSimulator;
  let wechat: RunningWechatApiServer;
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  let agent: MadeUser;
  let http: HttpClient;
  let seq = 0;

  const customerSays = async (account: MadeAccount, openid: string, text: string) => {
    sim.userMessage(account.appId, openid); // WeChat opens its own window when the user writes
    const p = buildPush(account, {
      FromUserName: openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: text,
      MsgId: `${7000000000000000000n + BigInt(++seq)}`,
    });
    const res = await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body });
    expect(await res.text()).toBe('success');
    const page = await http.request<Page<Conversation>>('GET', `/api/conversations?accountId=${account.id}&limit=100`);
    return page.body.items.find((c) => c.contact.openid === openid && c.status !== 'resolved')!;
  };
  const reply = async (c: Conversation, text: string) => {
    const r = await http.request<Message>('POST', `/api/conversations/${c.id}/messages`, {
      type: 'text',
      text,
      clientMessageId: `cm-${++seq}-${Date.now()}`,
    });
    expect(r.status).toBe(201);
    return r.body;
  };
  /** Waits for the message's final state through the socket (message.updated events). */
  const finalState = async (socket: Awaited<ReturnType<typeof connectSocket>>, id: string) => {
    await socket.waitFor(
      (log) =>
        log.some(
          (e) =>
            e.event === 'message.updated' &&
            ['sent', 'failed'].includes((e.payload as { message: Message }).message.status ?? '') &&
            (e.payload as { message: Message }).message.id === id,
        ),
      20000,
    );
    return (
      await http.request<Page<Message>>(
        'GET',
        `/api/conversations/${(await t.ds.query('SELECT conversation_id FROM messages WHERE id = $1', [id]))[0].conversation_id}/messages`,
      )
    ).body.items.find((m) => m.id === id)!;
  };

  beforeAll(async () => {
    sim = new WechatApiSimulator();
    wechat = await startWechatApiServer(sim, { port: 0 });
    t = await startTestApp({ WECHAT_API_BASE: wechat.url });
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'safe');
    sim.addApp({ appId: a.appId, secret: a.appSecret, originalId: a.originalId });
    sim.addApp({ appId: b.appId, secret: b.appSecret, originalId: b.originalId });
    agent = await newUser(t.ds, { role: 'agent' });
    await t.app.get(AccountsService).setMembers(a.id, [agent.id]);
    await t.app.get(AccountsService).setMembers(b.id, [agent.id]);
    http = new HttpClient(t.url);
    await http.request('POST', '/api/auth/login', { email: agent.email, password: agent.password });
  });
  afterAll(async () => {
    await t.close();
    await wechat.close();
  });

  it('sends a reply through the right account and marks it sent; accounts never mix', async () => {
    const s = await connectSocket(t.url, http.cookie);
    try {
      const ca = await customerSays(a, 'oAlice', 'hi A');
      const cb = await customerSays(b, 'oBob', 'hi B');
      const ma = await reply(ca, 'answer for Alice');
      const mb = await reply(cb, 'answer for Bob');
      expect((await finalState(s, ma.id)).status).toBe('sent');
      expect((await finalState(s, mb.id)).status).toBe('sent');
      const toAlice = sim.sent.filter((x) => x.openid === 'oAlice');
      const toBob = sim.sent.filter((x) => x.openid === 'oBob');
      expect(toAlice).toEqual([
        expect.objectContaining({
          appId: a.appId,
          body: { touser: 'oAlice', msgtype: 'text', text: { content: 'answer for Alice' } },
        }),
      ]);
      expect(toBob).toEqual([
        expect.objectContaining({
          appId: b.appId,
          body: { touser: 'oBob', msgtype: 'text', text: { content: 'answer for Bob' } },
        }),
      ]);
    } finally {
      s.socket.close();
    }
  });

  it('fails a reply WeChat refuses with 45015 at once, without retrying, with the reason stored', async () => {
    const s = await connectSocket(t.url, http.cookie);
    try {
      const c = await customerSays(a, 'oGone', 'bye');
      sim.setFault(a.appId, {
        errcode: 45015,
        errmsg: 'response out of time limit or subscription is canceled',
        paths: ['/cgi-bin/message/custom/send'],
      });
      const before = sim.calls.filter((x) => x.path === '/cgi-bin/message/custom/send').length;
      const m = await reply(c, 'too late');
      const final = await finalState(s, m.id);
      sim.clearFault(a.appId);
      expect(final).toMatchObject({ status: 'failed', errorCode: '45015' });
      expect(final.errorReason).toMatch(/48-hour|window/i);
      expect(sim.calls.filter((x) => x.path === '/cgi-bin/message/custom/send').length - before).toBe(1);
      const conv = await http.request<Conversation>('GET', `/api/conversations/${c.id}`);
      expect(conv.body.sendsLeft).toBe(0);
    } finally {
      s.socket.close();
    }
  });

  it('retries a transient -1 with backoff and then sends', async () => {
    const s = await connectSocket(t.url, http.cookie);
    try {
      const c = await customerSays(b, 'oBusy', 'are you there');
      sim.setFault(b.appId, { errcode: -1, errmsg: 'system error', times: 1, paths: ['/cgi-bin/message/custom/send'] });
      const m = await reply(c, 'yes');
      expect((await finalState(s, m.id)).status).toBe('sent');
      expect(sim.sent.filter((x) => x.openid === 'oBusy')).toHaveLength(1);
    } finally {
      s.socket.close();
    }
  });

  it('refreshes the token once on 40001 and retries the send once', async () => {
    const s = await connectSocket(t.url, http.cookie);
    try {
      const c = await customerSays(a, 'oToken', 'token test');
      const m1 = await reply(c, 'first');
      expect((await finalState(s, m1.id)).status).toBe('sent');
      const fetchesBefore = sim.tokenFetches(a.appId);
      sim.invalidateTokens(a.appId);
      const m2 = await reply(c, 'second');
      expect((await finalState(s, m2.id)).status).toBe('sent');
      expect(sim.tokenFetches(a.appId) - fetchesBefore).toBe(1);
      expect(sim.sent.filter((x) => x.openid === 'oToken')).toHaveLength(2);
    } finally {
      s.socket.close();
    }
  });

  it('fetches the token once for 100 concurrent replies of one fresh account', async () => {
    const fresh = await newAccount(t.app, 'plaintext');
    sim.addApp({ appId: fresh.appId, secret: fresh.appSecret, originalId: fresh.originalId });
    await t.app.get(AccountsService).setMembers(fresh.id, [agent.id]);
    const conversations = [];
    for (let i = 0; i < 20; i++) conversations.push(await customerSays(fresh, `oMany${i}`, 'hello'));
    const messages = await Promise.all(conversations.flatMap((c) => [1, 2, 3, 4, 5].map((n) => reply(c, `r${n}`))));
    expect(messages).toHaveLength(100);
    // Wait until every one is final: re-count after each delivery update (subscribed before the first count).
    const finalCount = async () =>
      Number(
        (
          (await t.ds.query(
            `SELECT count(*) AS n FROM messages WHERE account_id = $1 AND direction = 'out' AND status IN ('sent', 'failed')`,
            [fresh.id],
          )) as { n: string }[]
        )[0]?.n,
      );
    await new Promise<void>((resolve, reject) => {
      const check = () => void finalCount().then((n) => n === 100 && (off(), resolve()), reject);
      const off = t.app.get(InboxEventsToken).on('message.updated', check);
      check();
    });
    const statuses: { status: string; n: string }[] = await t.ds.query(
      `SELECT status, count(*) AS n FROM messages WHERE account_id = $1 AND direction = 'out' GROUP BY status`,
      [fresh.id],
    );
    expect(statuses).toEqual([{ status: 'sent', n: '100' }]);
    expect(sim.tokenFetches(fresh.appId)).toBe(1);
  });
});

import type { Conversation, Message, Page, PresenceEvent, TypingEvent } from '@inbox/shared';
import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { newAccount } from '../../test/factories/account.factory';
import { newUser } from '../../test/factories/user.factory';
import { eventually } from '../../test/identity';
import { connectSocket, roundTrip } from '../../test/realtime';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';
import { startWechatApiServer, type RunningWechatApiServer } from '../sandbox/wechat-api.server';
import { WechatApiSimulator } from '../sandbox/wechat-api.simulator';
import { RealtimeGateway, userRoom } from './realtime.gateway';

/** Resolves once each instance's adapter has seen the other (heartbeats cross through PostgreSQL or Redis). */
async function untilInstancesSeeEachOther(apps: TestApp[], timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(apps.map((t) => t.app.get(RealtimeGateway).server.of('/').adapter.serverCount()));
    if (counts.every((n) => n >= apps.length)) return;
    if (Date.now() > deadline) throw new Error(`instances see ${counts.join(', ')} servers`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each([
  ['postgres adapter', {}],
  ['redis adapter', { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' }],
])('two server instances on one database (%s)', (_name, env: Record<string, string>) => {
  let db: TestDatabase;
  let sim: WechatApiSimulator;
  let wechat: RunningWechatApiServer;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new WechatApiSimulator();
    wechat = await startWechatApiServer(sim, { port: 0 });
    a = await startTestApp({ ...env, WECHAT_API_BASE: wechat.url }, { db });
    b = await startTestApp({ ...env, WECHAT_API_BASE: wechat.url }, { db });
    await untilInstancesSeeEachOther([a, b]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await wechat?.close();
    await db?.drop();
  });

  it('delivers a callback received by instance A to an agent connected to instance B, and sends a reply exactly once', async () => {
    const account = await newAccount(a.app, 'safe');
    sim.addApp({ appId: account.appId, secret: account.appSecret, originalId: account.originalId });
    const agent = await newUser(a.ds, { role: 'agent' });
    await a.app.get(AccountsService).setMembers(account.id, [agent.id]);
    const onB = new HttpClient(b.url);
    await onB.request('POST', '/api/auth/login', { email: agent.email, password: agent.password });
    const socket = await connectSocket(b.url, onB.cookie);
    try {
      sim.userMessage(account.appId, 'oTwo');
      const p = buildPush(account, {
        FromUserName: 'oTwo',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'text',
        Content: 'via A',
        MsgId: '5551234567890123456',
      });
      expect(await (await fetch(pushUrl(a.url, account.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
        'success',
      );
      await socket.waitFor((log) =>
        log.some((e) => e.event === 'message.created' && (e.payload as { message: Message }).message.text === 'via A'),
      );
      await socket.waitFor((log) => log.some((e) => e.event === 'conversation.created'));

      const list = await onB.request<Page<Conversation>>('GET', '/api/conversations');
      const conversation = list.body.items.find((c) => c.contact.openid === 'oTwo')!;
      const reply = await onB.request<Message>('POST', `/api/conversations/${conversation.id}/messages`, {
        type: 'text',
        text: 'once',
        clientMessageId: 'two-instances-1',
      });
      expect(reply.status).toBe(201);
      // The reply was made on B; whichever instance's worker sends it, B's socket hears the outcome.
      const final = (log: typeof socket.events) =>
        log
          .filter((e) => e.event === 'message.updated')
          .map((e) => (e.payload as { message: Message }).message)
          .find((m) => m.id === reply.body.id && (m.status === 'sent' || m.status === 'failed'));
      await socket.waitFor((log) => final(log) !== undefined, 30000);
      expect(final(socket.events)).toMatchObject({ status: 'sent' });
      expect(sim.sent.filter((s) => s.openid === 'oTwo')).toHaveLength(1);
      const jobs: { n: string }[] = await a.ds.query(
        `SELECT count(*) AS n FROM pgboss.job WHERE name = 'outbound.deliver' AND data->>'messageId' = $1`,
        [reply.body.id],
      );
      expect(Number(jobs[0]?.n)).toBe(1);
    } finally {
      socket.socket.close();
    }
  });

  it("carries typing and presence across instances, counting a user's sockets on both", async () => {
    const account = await newAccount(a.app, 'safe');
    const typist = await newUser(a.ds, { role: 'agent', name: 'Typist' });
    const watcher = await newUser(a.ds, { role: 'agent' });
    await a.app.get(AccountsService).setMembers(account.id, [typist.id, watcher.id]);
    const p = buildPush(account, {
      FromUserName: 'oTypingTwo',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: 'who is typing?',
      MsgId: '5551234567890123999',
    });
    expect(await (await fetch(pushUrl(a.url, account.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
      'success',
    );
    const typistHttp = new HttpClient(a.url);
    await typistHttp.request('POST', '/api/auth/login', { email: typist.email, password: typist.password });
    const watcherHttp = new HttpClient(b.url);
    await watcherHttp.request('POST', '/api/auth/login', { email: watcher.email, password: watcher.password });
    const list = await watcherHttp.request<Page<Conversation>>('GET', '/api/conversations');
    const conversationId = list.body.items.find((c) => c.contact.openid === 'oTypingTwo')!.id;

    const watch = await connectSocket(b.url, watcherHttp.cookie);
    const onA = await connectSocket(a.url, typistHttp.cookie);
    const onB = await connectSocket(b.url, typistHttp.cookie);
    const presence = () =>
      watch.events
        .filter((e) => e.event === 'presence')
        .map((e) => e.payload as PresenceEvent)
        .filter((e) => e.userId === typist.id);
    const typing = (log: typeof watch.events) =>
      log.filter((e) => e.event === 'typing').map((e) => e.payload as TypingEvent);
    try {
      await watch.waitFor(() => presence().length > 0);
      // Typing on instance A reaches the colleague on B, not the typist's own socket there.
      const ok = await new Promise<boolean>((resolve) =>
        onA.socket.emit('typing', { conversationId, typing: true }, (r: { ok: boolean }) => resolve(r.ok)),
      );
      expect(ok).toBe(true);
      await watch.waitFor((log) => typing(log).length === 1);
      expect(typing(watch.events)).toEqual([{ conversationId, userId: typist.id, name: 'Typist', typing: true }]);
      await roundTrip(onB.socket);
      expect(typing(onB.events)).toEqual([]);

      // The socket on A leaves while typing: B's colleague hears it stopped, but the typist is still online (on B).
      onA.socket.close();
      await watch.waitFor((log) => typing(log).length === 2);
      expect(typing(watch.events)[1]).toMatchObject({ conversationId, typing: false });
      await eventually(
        'the socket on A is gone',
        async () => (await b.app.get(RealtimeGateway).server.in(userRoom(typist.id)).fetchSockets()).length === 1,
        3000,
      );
      // Fence: once A has looked at the typist's sockets itself, a broadcast from A comes behind anything that look sent.
      const fromA = a.app.get(RealtimeGateway).server;
      await fromA.in(userRoom(typist.id)).fetchSockets();
      fromA.to(userRoom(watcher.id)).emit('presence', { userId: 'fence', online: true });
      await watch.waitFor((log) => log.some((e) => (e.payload as PresenceEvent).userId === 'fence'));
      expect(presence()).toHaveLength(1);
      onB.socket.close();
      await watch.waitFor(() => presence().length === 2);
      expect(presence()).toEqual([
        { userId: typist.id, online: true },
        { userId: typist.id, online: false },
      ]);
    } finally {
      for (const s of [watch, onA, onB]) s.socket.close();
    }
  });
});

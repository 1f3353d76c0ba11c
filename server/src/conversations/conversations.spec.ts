import type { Conversation, Message, Page, SyncResponse } from '@inbox/shared';
import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { connectSocket, expectRefused } from '../../test/realtime';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';

describe('inbox core: conversations, replies, realtime, sync (real PostgreSQL, HTTP, socket.io)', () => {
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  let agentA: MadeUser;
  let agentB: MadeUser;
  let httpA: HttpClient;
  let httpB: HttpClient;
  let seq = 0;
  const now = () => Math.floor(Date.now() / 1000);

  const customerSays = async (account: MadeAccount, openid: string, text: string, createTime = now()) => {
    const p = buildPush(account, {
      FromUserName: openid,
      CreateTime: createTime,
      MsgType: 'text',
      Content: text,
      MsgId: `${9000000000000000000n + BigInt(++seq)}`,
    });
    const res = await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body });
    expect(await res.text()).toBe('success');
  };
  const login = async (u: MadeUser) => {
    const c = new HttpClient(t.url);
    expect((await c.request('POST', '/api/auth/login', { email: u.email, password: u.password })).status).toBe(200);
    return c;
  };
  const conversationOf = async (c: HttpClient, openid: string) => {
    const page = await c.request<Page<Conversation>>('GET', '/api/conversations?limit=100');
    return page.body.items.find((x) => x.contact.openid === openid);
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'plaintext');
    agentA = await newUser(t.ds, { role: 'agent' });
    agentB = await newUser(t.ds, { role: 'agent' });
    await t.app.get(AccountsService).setMembers(a.id, [agentA.id]);
    await t.app.get(AccountsService).setMembers(b.id, [agentB.id]);
    httpA = await login(agentA);
    httpB = await login(agentB);
  });
  afterAll(async () => {
    await t.close();
  });

  it('delivers a customer message to the list and, live, only to agents of that account', async () => {
    const sa = await connectSocket(t.url, httpA.cookie);
    const sb = await connectSocket(t.url, httpB.cookie);
    try {
      await customerSays(a, 'oLive', 'hello from A');
      await sa.waitFor(
        (log) => log.some((e) => e.event === 'message.created') && log.some((e) => e.event === 'conversation.created'),
      );
      const created = sa.events.find((e) => e.event === 'message.created')?.payload as { message: Message };
      expect(created.message).toMatchObject({ accountId: a.id, direction: 'in', type: 'text', text: 'hello from A' });
      const c = await conversationOf(httpA, 'oLive');
      expect(c).toMatchObject({
        accountId: a.id,
        status: 'open',
        assigneeId: null,
        sendsLeft: 5,
        unreadCount: 1,
        lastMessage: { text: 'hello from A' },
      });
      expect(new Date(c?.windowClosesAt ?? 0).getTime()).toBeGreaterThan(Date.now() + 47 * 3600 * 1000);
      // B's agent saw nothing of it, over the socket or HTTP.
      await customerSays(b, 'oOther', 'for B');
      await sb.waitFor((log) => log.some((e) => e.event === 'message.created'));
      expect(
        sb.events.every(
          (e) => JSON.stringify(e.payload).includes(b.id) && !JSON.stringify(e.payload).includes('oLive'),
        ),
      ).toBe(true);
      expect(await conversationOf(httpB, 'oLive')).toBeUndefined();
      expect((await httpB.request('GET', `/api/conversations/${c?.id}`)).status).toBe(404);
      expect((await httpB.request('GET', `/api/conversations/${c?.id}/messages`)).status).toBe(404);
      expect(
        (
          await httpB.request('POST', `/api/conversations/${c?.id}/messages`, {
            type: 'text',
            text: 'x',
            clientMessageId: 'abcdefgh1',
          })
        ).status,
      ).toBe(404);
    } finally {
      sa.socket.close();
      sb.socket.close();
    }
  });

  it('refuses sockets without a session or from a foreign origin', async () => {
    expect(await expectRefused(t.url, '')).toBe('auth/unauthenticated');
    expect(await expectRefused(t.url, 'inbox_session=forged')).toBe('auth/unauthenticated');
    expect(await expectRefused(t.url, httpA.cookie, 'https://evil.example.com')).toBe('auth/unauthenticated');
  });

  it('queues a reply once per clientMessageId and enforces the 5-send quota before WeChat', async () => {
    await customerSays(a, 'oQuota', 'need help');
    const c = await conversationOf(httpA, 'oQuota');
    const send = (id: string) =>
      httpA.request<Message & { code?: string }>('POST', `/api/conversations/${c?.id}/messages`, {
        type: 'text',
        text: `reply ${id}`,
        clientMessageId: `client-${id}`,
      });
    const first = await send('0001');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      direction: 'out',
      status: 'queued',
      text: 'reply 0001',
      private: false,
      senderId: agentA.id,
    });
    const again = await send('0001');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    for (const id of ['0002', '0003', '0004', '0005']) expect((await send(id)).status).toBe(201);
    const sixth = await send('0006');
    expect(sixth.status).toBe(409);
    expect(sixth.body.code).toBe('wechat/quota_exhausted');
    expect((await httpA.request<Conversation>('GET', `/api/conversations/${c?.id}`)).body.sendsLeft).toBe(0);
    const jobs: { n: string }[] = await t.ds.query(
      `SELECT count(*) AS n FROM pgboss.job WHERE name = 'outbound.deliver'`,
    );
    expect(Number(jobs[0]?.n)).toBeGreaterThanOrEqual(5);
    // A new customer message opens a fresh window.
    await customerSays(a, 'oQuota', 'again');
    expect((await send('0007')).status).toBe(201);
  });

  it('refuses a reply when the 48-hour window has closed, with the reason', async () => {
    await customerSays(a, 'oOld', 'long ago', now() - 49 * 3600);
    const c = await conversationOf(httpA, 'oOld');
    expect(c?.windowClosesAt).toBeNull();
    expect(c?.sendsLeft).toBe(0);
    const r = await httpA.request<{ code: string; message: string }>('POST', `/api/conversations/${c?.id}/messages`, {
      type: 'text',
      text: 'late',
      clientMessageId: 'late-0001',
    });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('wechat/window_closed');
    expect(r.body.message).toMatch(/48 hours/);
    const out: unknown[] = await t.ds.query(`SELECT 1 FROM messages WHERE conversation_id = $1 AND direction = 'out'`, [
      c?.id,
    ]);
    expect(out).toHaveLength(0);
  });

  it('assigns, notes, snoozes, resolves, and a new message opens a new episode', async () => {
    await customerSays(a, 'oFlow', 'first');
    const c = (await conversationOf(httpA, 'oFlow'))!;
    expect(
      (await httpA.request<Conversation>('PUT', `/api/conversations/${c.id}/assignee`, { userId: agentA.id })).body
        .assigneeId,
    ).toBe(agentA.id);
    expect((await httpA.request('PUT', `/api/conversations/${c.id}/assignee`, { userId: agentB.id })).status).toBe(403); // agents assign only themselves
    const admin = await login(await newUser(t.ds, { role: 'admin' }));
    expect((await admin.request('PUT', `/api/conversations/${c.id}/assignee`, { userId: agentB.id })).status).toBe(400); // not a member
    const mine = await httpA.request<Page<Conversation>>('GET', '/api/conversations?assignee=me');
    expect(mine.body.items.map((x) => x.id)).toContain(c.id);
    const none = await httpA.request<Page<Conversation>>('GET', '/api/conversations?assignee=none');
    expect(none.body.items.map((x) => x.id)).not.toContain(c.id);
    const note = await httpA.request<Message>('POST', `/api/conversations/${c.id}/notes`, { text: 'VIP customer' });
    expect(note.body).toMatchObject({ private: true, type: 'note', status: null });
    const snooze = await httpA.request<Conversation>('PATCH', `/api/conversations/${c.id}`, {
      status: 'snoozed',
      snoozedUntil: new Date(Date.now() + 3600e3).toISOString(),
    });
    expect(snooze.body.status).toBe('snoozed');
    await customerSays(a, 'oFlow', 'wake up');
    expect((await httpA.request<Conversation>('GET', `/api/conversations/${c.id}`)).body.status).toBe('open');
    expect(
      (await httpA.request<Conversation>('PATCH', `/api/conversations/${c.id}`, { status: 'resolved' })).body.status,
    ).toBe('resolved');
    await customerSays(a, 'oFlow', 'new question');
    const page = await httpA.request<Page<Conversation>>('GET', '/api/conversations?limit=100');
    const flows = page.body.items.filter((x) => x.contact.openid === 'oFlow');
    expect(flows.map((x) => x.status).sort()).toEqual(['open', 'resolved']);
    const events: { type: string }[] = await t.ds.query(
      `SELECT type FROM conversation_events WHERE conversation_id = $1 ORDER BY seq`,
      [c.id],
    );
    expect(events.map((e) => e.type)).toEqual(['message_in', 'assigned', 'note', 'snoozed', 'message_in', 'resolved']);
    expect(
      (
        await admin.request<Conversation>('PUT', `/api/conversations/${c.id}/assignee`, {
          userId: null,
          note: 'back to queue',
        })
      ).body.assigneeId,
    ).toBeNull();
    const read = await httpA.request<Conversation>('POST', `/api/conversations/${c.id}/read`);
    expect(read.body.unreadCount).toBe(0);
  });

  it('captures first response, reply and resolution times as events when they happen', async () => {
    const t0 = now();
    await customerSays(a, 'oMetric', 'q1', t0 - 120);
    await customerSays(a, 'oMetric', 'q1 again', t0 - 100);
    const c = (await conversationOf(httpA, 'oMetric'))!;
    await httpA.request('POST', `/api/conversations/${c.id}/notes`, { text: 'a note is not a reply' });
    await httpA.request('POST', `/api/conversations/${c.id}/messages`, {
      type: 'text',
      text: 'a1',
      clientMessageId: 'metric-001',
    });
    await httpA.request('POST', `/api/conversations/${c.id}/messages`, {
      type: 'text',
      text: 'a1 follow-up',
      clientMessageId: 'metric-002',
    });
    await customerSays(a, 'oMetric', 'q2', t0 - 30);
    await httpA.request('POST', `/api/conversations/${c.id}/messages`, {
      type: 'text',
      text: 'a2',
      clientMessageId: 'metric-003',
    });
    await httpA.request('PATCH', `/api/conversations/${c.id}`, { status: 'resolved' });
    const events: { type: string; data: { seconds?: number; first?: boolean; senderId?: string } }[] = await t.ds.query(
      `SELECT type, data FROM conversation_events WHERE conversation_id = $1 AND type IN ('replied', 'resolved') ORDER BY seq`,
      [c.id],
    );
    expect(events.map((e) => [e.type, e.data.first])).toEqual([
      ['replied', true],
      ['replied', false],
      ['resolved', undefined],
    ]);
    expect(events[0]?.data.seconds).toBeGreaterThanOrEqual(120);
    expect(events[0]?.data.seconds).toBeLessThan(140);
    expect(events[0]?.data.senderId).toBe(agentA.id);
    expect(events[1]?.data.seconds).toBeGreaterThanOrEqual(30);
    expect(events[1]?.data.seconds).toBeLessThan(50);
    expect(events[2]?.data.seconds).toBeGreaterThanOrEqual(0);
  });

  it("keeps a thread in the customer's order when callbacks arrive out of order, across pages", async () => {
    const t0 = now() - 600;
    for (const [i, offset] of [3, 1, 4, 0, 2].entries())
      await customerSays(b, 'oOrder', `m${offset} (arrived ${i})`, t0 + offset * 10);
    const c = (await conversationOf(httpB, 'oOrder'))!;
    const first = await httpB.request<Page<Message>>('GET', `/api/conversations/${c.id}/messages?limit=3`);
    const second = await httpB.request<Page<Message>>(
      'GET',
      `/api/conversations/${c.id}/messages?limit=3&cursor=${first.body.nextCursor}`,
    );
    expect([...first.body.items, ...second.body.items].map((m) => m.text?.slice(0, 2))).toEqual([
      'm4',
      'm3',
      'm2',
      'm1',
      'm0',
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('pages conversations by cursor without gaps or repeats, newest first', async () => {
    const base = now() - 1000;
    for (let i = 0; i < 7; i++) await customerSays(b, `oPage${i}`, `m${i}`, base + i);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page: { body: Page<Conversation> } = await httpB.request<Page<Conversation>>(
        'GET',
        `/api/conversations?accountId=${b.id}&limit=3${q}`,
      );
      seen.push(...page.body.items.map((x) => x.contact.openid));
      cursor = page.body.nextCursor;
    } while (cursor);
    const pages = seen.filter((o) => o.startsWith('oPage'));
    expect(pages).toEqual(['oPage6', 'oPage5', 'oPage4', 'oPage3', 'oPage2', 'oPage1', 'oPage0']);
    expect(new Set(seen).size).toBe(seen.length);
    const waiting = await httpB.request<Page<Conversation>>(
      'GET',
      `/api/conversations?accountId=${b.id}&sort=waiting&limit=100`,
    );
    const order = waiting.body.items.filter((x) => x.contact.openid.startsWith('oPage')).map((x) => x.contact.openid);
    expect(order).toEqual(['oPage0', 'oPage1', 'oPage2', 'oPage3', 'oPage4', 'oPage5', 'oPage6']);
    expect((await httpB.request('GET', '/api/conversations?cursor=garbage')).status).toBe(400);
    expect((await httpB.request('GET', '/api/conversations?status=nonsense')).status).toBe(400);
  });

  it('lets a console that was offline while 50 messages arrived catch up through /api/sync, none missing', async () => {
    const start = await httpA.request<SyncResponse>('GET', '/api/sync');
    expect(start.body).toEqual({ conversations: [], messages: [], cursor: expect.stringMatching(/^\d+$/) });
    await Promise.all(Array.from({ length: 50 }, (_, i) => customerSays(a, `oSync${i % 5}`, `offline ${i}`)));
    const got = new Map<string, Message>();
    let cursor = start.body.cursor;
    for (let round = 0; round < 3; round++) {
      const r = await httpA.request<SyncResponse>('GET', `/api/sync?since=${cursor}`);
      for (const m of r.body.messages) got.set(m.id, m);
      cursor = r.body.cursor;
    }
    const offline = [...got.values()].filter((m) => m.text?.startsWith('offline '));
    expect(offline).toHaveLength(50);
    expect(new Set(offline.map((m) => m.text)).size).toBe(50);
    // B's agent's sync shows none of A's messages.
    const other = await httpB.request<SyncResponse>('GET', `/api/sync?since=${start.body.cursor}`);
    expect(other.body.messages.filter((m) => m.accountId === a.id)).toHaveLength(0);
  });

  it('disconnects the sockets of a session that logs out', async () => {
    const c = await login(agentA);
    const s = await connectSocket(t.url, c.cookie);
    const closed = new Promise<string>((resolve) => s.socket.once('disconnect', (reason) => resolve(reason)));
    await c.request('POST', '/api/auth/logout');
    expect(await closed).toBe('io server disconnect');
  });
});

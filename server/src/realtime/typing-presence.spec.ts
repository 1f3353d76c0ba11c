import type { Conversation, Page, PresenceEvent, PresenceResponse, Role, TypingEvent } from '@inbox/shared';
import type { Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { eventually, loginAs, type Browser } from '../../test/identity';
import { connectSocket, roundTrip, type EventLog } from '../../test/realtime';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';
import { RealtimeGateway, userRoom } from './realtime.gateway';
import { TYPING_BURST } from './typing.service';

type Live = Awaited<ReturnType<typeof connectSocket>>;

const typingIn = (log: EventLog) => log.filter((e) => e.event === 'typing').map((e) => e.payload as TypingEvent);
const presenceOf = (log: EventLog, userId: string) =>
  log
    .filter((e) => e.event === 'presence')
    .map((e) => e.payload as PresenceEvent)
    .filter((p) => p.userId === userId);

/** Emits `typing` and resolves with the server's answer (whether colleagues were told). */
const sendTyping = (socket: Socket, payload: unknown) =>
  new Promise<boolean>((resolve, reject) => {
    socket
      .timeout(5000)
      .emit('typing', payload, (err: unknown, r: { ok: boolean }) => (err ? reject(err as Error) : resolve(r.ok)));
  });

describe('typing hints and presence between colleagues (real socket.io clients)', () => {
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  let admin: Browser;
  /** Two conversations of account A, one of B. */
  let convA: string;
  let convA2: string;
  let convB: string;
  /** Sockets of the current test, with their ids (a closed client forgets its id). */
  const open: Array<{ live: Live; id: string }> = [];
  let seq = 0;

  const customerSays = async (account: MadeAccount, openid: string) => {
    const p = buildPush(account, {
      FromUserName: openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: `hello from ${openid}`,
      MsgId: `${7300000000000000000n + BigInt(++seq)}`,
    });
    expect(await (await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
      'success',
    );
  };
  /** A new user (member of the given accounts), logged in as a browser. */
  const person = async (role: Role, accounts: MadeAccount[], name = `${role} ${++seq}`) => {
    const u = await newUser(t.ds, { role, name });
    for (const account of accounts) {
      const members = await t.app.get(AccountsService).getMembers(account.id);
      await t.app.get(AccountsService).setMembers(account.id, [...members.userIds, u.id]);
    }
    return { user: u, name, http: await loginAs(t.url, u) };
  };
  const socketOf = async (p: { http: Browser }) => {
    const s = await connectSocket(t.url, p.http.cookie);
    open.push({ live: s, id: s.socket.id! });
    return s;
  };
  /** Closes this test's sockets and waits until the server has handled their departure (typing stops, presence). */
  const closeAll = async () => {
    const closing = open.splice(0);
    for (const s of closing) s.live.socket.close();
    const ids = new Set(closing.map((s) => s.id));
    const server = t.app.get(RealtimeGateway).server;
    await eventually('the closed sockets are gone', async () =>
      (await server.fetchSockets()).every((s) => !ids.has(s.id)),
    );
    // Their disconnect handlers have run; a round trip lets what they broadcast go out first.
    const probe = await connectSocket(t.url, admin.cookie);
    await roundTrip(probe.socket);
    probe.socket.close();
  };
  const socketsOfUser = async (u: MadeUser) =>
    (await t.app.get(RealtimeGateway).server.in(userRoom(u.id)).fetchSockets()).length;

  beforeAll(async () => {
    t = await startTestApp();
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'plaintext');
    admin = await loginAs(t.url, await newUser(t.ds, { role: 'admin' }));
    await customerSays(a, 'oTypingA1');
    await customerSays(a, 'oTypingA2');
    await customerSays(b, 'oTypingB');
    const list = await admin.request<Page<Conversation>>('GET', '/api/conversations?limit=100');
    const id = (openid: string) => list.body.items.find((c) => c.contact.openid === openid)!.id;
    convA = id('oTypingA1');
    convA2 = id('oTypingA2');
    convB = id('oTypingB');
  });
  afterEach(async () => {
    await closeAll();
  });
  afterAll(async () => {
    await t.close();
  });

  it("tells colleagues of the account who is typing, but not the typist's other sockets nor another account", async () => {
    const a1 = await person('agent', [a], 'Alice');
    const a2 = await person('agent', [a]);
    const supervisor = await person('supervisor', [a]);
    const manager = await person('manager', []);
    const agentB = await person('agent', [b]);
    const [a1s, a1other, a2s, supS, mgrS, bS] = [
      await socketOf(a1),
      await socketOf(a1),
      await socketOf(a2),
      await socketOf(supervisor),
      await socketOf(manager),
      await socketOf(agentB),
    ];

    expect(await sendTyping(a1s.socket, { conversationId: convA, typing: true })).toBe(true);
    const expected: TypingEvent = { conversationId: convA, userId: a1.user.id, name: 'Alice', typing: true };
    for (const s of [a2s, supS, mgrS]) await s.waitFor((log) => typingIn(log).length > 0);
    for (const s of [a2s, supS, mgrS]) expect(typingIn(s.events)).toEqual([expected]);
    // The broadcast left before the ack; a ping answered afterwards comes behind anything it sent them.
    for (const s of [a1s, a1other, bS]) await roundTrip(s.socket);
    for (const s of [a1s, a1other, bS]) expect(typingIn(s.events)).toEqual([]);

    expect(await sendTyping(a1s.socket, { conversationId: convA, typing: false })).toBe(true);
    await a2s.waitFor((log) => typingIn(log).length === 2);
    expect(typingIn(a2s.events)[1]).toEqual({ ...expected, typing: false });

    // The other way round: the supervisor types, the agent hears it (also on their second socket).
    expect(await sendTyping(supS.socket, { conversationId: convA, typing: true })).toBe(true);
    await a1other.waitFor((log) => typingIn(log).some((e) => e.userId === supervisor.user.id));
    await a1s.waitFor((log) => typingIn(log).some((e) => e.userId === supervisor.user.id));
    await roundTrip(bS.socket);
    expect(typingIn(bS.events)).toEqual([]);
  });

  it('ignores typing in a conversation the sender may not see, or that does not exist', async () => {
    const a1 = await person('agent', [a]);
    const agentB = await person('agent', [b]);
    const a1s = await socketOf(a1);
    const bS = await socketOf(agentB);
    const managerS = await socketOf(await person('manager', []));

    expect(await sendTyping(a1s.socket, { conversationId: convB, typing: true })).toBe(false);
    expect(await sendTyping(a1s.socket, { conversationId: '6f1c1a52-8a57-4c53-9c1e-0d2d1f1f0b7e', typing: true })).toBe(
      false,
    );
    for (const s of [bS, managerS]) await roundTrip(s.socket);
    expect(typingIn(bS.events)).toEqual([]);
    expect(typingIn(managerS.events).filter((e) => e.userId === a1.user.id)).toEqual([]);
    // Whereas B's own agent typing there is heard by the manager (who sees every account).
    expect(await sendTyping(bS.socket, { conversationId: convB, typing: true })).toBe(true);
    await managerS.waitFor((log) => typingIn(log).length > 0);
    expect(typingIn(managerS.events).map((e) => e.userId)).toEqual([agentB.user.id]);
    expect(typingIn(managerS.events)[0]).toMatchObject({ conversationId: convB, typing: true });
  });

  it('ignores malformed typing events without disconnecting the socket', async () => {
    const a1 = await person('agent', [a]);
    const a2 = await person('agent', [a]);
    const a1s = await socketOf(a1);
    const a2s = await socketOf(a2);
    const junk: unknown[] = [
      null,
      'typing',
      42,
      [convA, true],
      {},
      { conversationId: convA },
      { conversationId: convA, typing: 'yes' },
      { conversationId: 'not-a-uuid', typing: true },
      { conversationId: `${convA}' OR 1=1 --`, typing: true },
      { conversationId: 7, typing: true },
      { conversationId: { $ne: null }, typing: true },
      { conversationId: convA.replace(/-/g, ''), typing: true },
    ];
    for (const payload of junk) expect(await sendTyping(a1s.socket, payload)).toBe(false);
    // Without an ack, and with no argument at all.
    a1s.socket.emit('typing');
    a1s.socket.emit('typing', { conversationId: 'x', typing: true });
    await roundTrip(a1s.socket);
    expect(a1s.socket.connected).toBe(true);
    await roundTrip(a2s.socket);
    expect(typingIn(a2s.events).filter((e) => e.userId === a1.user.id)).toEqual([]);
    // Still a working socket: a proper event after the junk is heard, and is the only one.
    expect(await sendTyping(a1s.socket, { conversationId: convA.toUpperCase(), typing: true })).toBe(true);
    await a2s.waitFor((log) => typingIn(log).some((e) => e.userId === a1.user.id));
    expect(typingIn(a2s.events).filter((e) => e.userId === a1.user.id)).toEqual([
      { conversationId: convA, userId: a1.user.id, name: a1.name, typing: true },
    ]);
  });

  it('throttles a socket that floods typing events', async () => {
    const a1 = await person('agent', [a]);
    const a2s = await socketOf(await person('agent', [a]));
    const a1s = await socketOf(a1);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => sendTyping(a1s.socket, { conversationId: convA, typing: i % 2 === 0 })),
    );
    const told = answers.filter(Boolean).length;
    // One window, or at worst two if the burst straddles a window's end.
    expect(told).toBeGreaterThanOrEqual(1);
    expect(told).toBeLessThanOrEqual(2 * TYPING_BURST);
    await roundTrip(a2s.socket);
    expect(typingIn(a2s.events).filter((e) => e.userId === a1.user.id)).toHaveLength(told);
    expect(a1s.socket.connected).toBe(true);
  });

  it('says typing: false where a socket was typing when it moves to another conversation or disconnects', async () => {
    const a1 = await person('agent', [a]);
    const a2s = await socketOf(await person('agent', [a]));
    const a1s = await socketOf(a1);
    const a1other = await socketOf(a1);
    const mine = () => typingIn(a2s.events).filter((e) => e.userId === a1.user.id);

    expect(await sendTyping(a1s.socket, { conversationId: convA, typing: true })).toBe(true);
    expect(await sendTyping(a1s.socket, { conversationId: convA2, typing: true })).toBe(true);
    await a2s.waitFor(() => mine().length === 3);
    expect(mine().map((e) => [e.conversationId, e.typing])).toEqual([
      [convA, true],
      [convA, false],
      [convA2, true],
    ]);

    a1s.socket.close();
    await a2s.waitFor(() => mine().length === 4);
    expect(mine()[3]).toMatchObject({ conversationId: convA2, typing: false });
    // A socket that stopped typing before leaving says nothing more.
    expect(await sendTyping(a1other.socket, { conversationId: convA, typing: true })).toBe(true);
    expect(await sendTyping(a1other.socket, { conversationId: convA, typing: false })).toBe(true);
    await a2s.waitFor(() => mine().length === 6);
    a1other.socket.close();
    await eventually('the socket is gone', async () => (await socketsOfUser(a1.user)) === 0);
    await roundTrip(a2s.socket);
    expect(mine()).toHaveLength(6);
  });

  it("announces a user's first socket as online and their last as offline, to colleagues who share an account", async () => {
    const colleague = await person('agent', [a]);
    const agentB = await person('agent', [b]);
    const manager = await person('manager', []);
    const [colS, bS, mgrS] = [await socketOf(colleague), await socketOf(agentB), await socketOf(manager)];
    const p = await person('agent', [a]);

    const first = await socketOf(p);
    await colS.waitFor((log) => presenceOf(log, p.user.id).length > 0);
    await mgrS.waitFor((log) => presenceOf(log, p.user.id).length > 0);
    for (const s of [colS, mgrS])
      expect(presenceOf(s.events, p.user.id)).toEqual([{ userId: p.user.id, online: true }]);
    await roundTrip(bS.socket);
    expect(presenceOf(bS.events, p.user.id)).toEqual([]);
    expect(presenceOf(first.events, p.user.id)).toEqual([]);

    // A second socket is no news; its arrival is settled once it has answered a ping.
    const second = await socketOf(p);
    await roundTrip(second.socket);
    await roundTrip(colS.socket);
    expect(presenceOf(colS.events, p.user.id)).toHaveLength(1);

    // Closing one of two is no news either.
    first.socket.close();
    await eventually('the first socket is gone', async () => (await socketsOfUser(p.user)) === 1);
    await roundTrip(colS.socket);
    expect(presenceOf(colS.events, p.user.id)).toHaveLength(1);

    second.socket.close();
    await colS.waitFor((log) => presenceOf(log, p.user.id).length === 2);
    expect(presenceOf(colS.events, p.user.id)[1]).toEqual({ userId: p.user.id, online: false });
    await mgrS.waitFor((log) => presenceOf(log, p.user.id).length === 2);
    await roundTrip(bS.socket);
    expect(presenceOf(bS.events, p.user.id)).toEqual([]);

    // A manager sees every account, so both A's and B's agents hear about them.
    const m2 = await person('manager', []);
    await socketOf(m2);
    await colS.waitFor((log) => presenceOf(log, m2.user.id).length > 0);
    await bS.waitFor((log) => presenceOf(log, m2.user.id).length > 0);
  });

  it('GET /api/presence lists who is online among the colleagues the caller shares an account with', async () => {
    const agentA = await person('agent', [a]);
    const agentB = await person('agent', [b]);
    const both = await person('agent', [a, b]);
    const loner = await person('agent', []);
    const manager = await person('manager', []);
    const offline = await person('agent', [a]);
    for (const p of [agentA, agentB, both, loner, manager]) await socketOf(p);
    const online = async (p: { http: Browser }) => {
      const r = await p.http.request<PresenceResponse>('GET', '/api/presence');
      expect(r.status).toBe(200);
      return r.body.online;
    };
    const ids = (...ps: Array<{ user: MadeUser }>) => ps.map((p) => p.user.id);

    const ofA = await online(agentA);
    expect(ofA).toEqual(expect.arrayContaining(ids(agentA, both, manager)));
    expect(ofA.filter((id) => ids(agentB, loner, offline).includes(id))).toEqual([]);
    expect([...ofA].sort()).toEqual(ofA);

    const ofB = await online(agentB);
    expect(ofB).toEqual(expect.arrayContaining(ids(agentB, both, manager)));
    expect(ofB.filter((id) => ids(agentA, loner, offline).includes(id))).toEqual([]);

    // Admins and managers: everyone online, also users without an account; the offline one is not.
    const ofManager = await online(manager);
    expect(ofManager).toEqual(expect.arrayContaining(ids(agentA, agentB, both, loner, manager)));
    expect(ofManager).not.toContain(offline.user.id);
    expect(await online(offline)).toEqual(expect.arrayContaining(ids(agentA, both, manager)));
    // A user without an account shares none with anyone.
    expect(await online(loner)).toEqual([]);

    await closeAll();
    const gone = ids(agentA, agentB, both, loner, manager);
    expect((await online(manager)).filter((id) => gone.includes(id))).toEqual([]);
  });
});

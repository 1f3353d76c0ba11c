import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../app';
import { startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { eventually, loginAs, type Browser } from '../../test/identity';
import { connectSocket, type EventLog } from '../../test/realtime';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';
import { createLogger } from '../common/logger';
import { createDataSource } from '../database/data-source';
import { accountRoom, RealtimeGateway } from './realtime.gateway';

/** The account each logged event is about. */
const accountsOf = (log: EventLog) =>
  log.map((e) => {
    const p = e.payload as { message?: { accountId: string }; conversation?: { accountId: string } };
    return p.message?.accountId ?? p.conversation?.accountId;
  });

describe('live sockets follow membership, role and session changes (also across instances)', () => {
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  let admin: Browser;
  let seq = 0;

  const customerSays = async (url: string, account: MadeAccount, text: string) => {
    const p = buildPush(account, {
      FromUserName: `o-rescope-${account.id.slice(0, 8)}`,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: text,
      MsgId: `${7100000000000000000n + BigInt(++seq)}`,
    });
    const res = await fetch(pushUrl(url, account.id, p.query), { method: 'POST', body: p.body });
    expect(await res.text()).toBe('success');
  };
  const inRoom = async (app: NestFastifyApplication, accountId: string, socketId: string | undefined) =>
    (await app.get(RealtimeGateway).server.in(accountRoom(accountId)).fetchSockets()).some((s) => s.id === socketId);

  beforeAll(async () => {
    t = await startTestApp();
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'plaintext');
    admin = await loginAs(t.url, await newUser(t.ds, { role: 'admin' }));
  });
  afterAll(async () => {
    await t.close();
  });

  it("stops account A's events reaching an agent's open socket once they are removed from A, while B's still arrive", async () => {
    const agent: MadeUser = await newUser(t.ds, { role: 'agent' });
    await admin.request('PUT', `/api/accounts/${a.id}/members`, { userIds: [agent.id] });
    await admin.request('PUT', `/api/accounts/${b.id}/members`, { userIds: [agent.id] });
    const http = await loginAs(t.url, agent);
    const s = await connectSocket(t.url, http.cookie);
    try {
      await customerSays(t.url, a, 'before removal');
      await s.waitFor((log) => accountsOf(log).includes(a.id));

      const removed = await admin.request('PUT', `/api/accounts/${a.id}/members`, { userIds: [] });
      expect(removed.body).toEqual({ userIds: [] });
      await eventually('the socket left the room of A', async () => !(await inRoom(t.app, a.id, s.socket.id)));
      expect(await inRoom(t.app, b.id, s.socket.id)).toBe(true);
      const before = s.events.length;

      await customerSays(t.url, a, 'after removal: must not arrive');
      await customerSays(t.url, b, 'for B: must arrive');
      // Events leave in order: once B's message is here, A's would have been too.
      await s.waitFor((log) =>
        log.slice(before).some((e) => e.event === 'message.created' && accountsOf([e])[0] === b.id),
      );
      expect(accountsOf(s.events.slice(before))).not.toContain(a.id);
      expect(JSON.stringify(s.events.slice(before))).not.toContain('must not arrive');
      // And over HTTP, A is gone too.
      expect((await http.request<{ accountIds: string[] }>('GET', '/api/auth/me')).body.accountIds).toEqual([b.id]);
    } finally {
      s.socket.close();
    }
  });

  it('re-scopes on a role change: a manager sees every account, back to agent only their own', async () => {
    const u = await newUser(t.ds, { role: 'agent' });
    await admin.request('PUT', `/api/accounts/${b.id}/members`, { userIds: [u.id] });
    const http = await loginAs(t.url, u);
    const s = await connectSocket(t.url, http.cookie);
    try {
      expect(await inRoom(t.app, a.id, s.socket.id)).toBe(false);
      await admin.request('PATCH', `/api/users/${u.id}`, { role: 'manager' });
      await eventually('the manager joined A', () => inRoom(t.app, a.id, s.socket.id));
      await customerSays(t.url, a, 'managers see this');
      await s.waitFor((log) => accountsOf(log).includes(a.id));
      await admin.request('PATCH', `/api/users/${u.id}`, { role: 'agent' });
      await eventually('the agent left A', async () => !(await inRoom(t.app, a.id, s.socket.id)));
      expect(await inRoom(t.app, b.id, s.socket.id)).toBe(true);
    } finally {
      s.socket.close();
    }
  });

  it('closes and re-scopes sockets held by another instance (PostgreSQL adapter)', async () => {
    const ds = createDataSource(t.db.url, 3);
    await ds.initialize();
    let second: NestFastifyApplication | undefined;
    try {
      second = await createApp(t.config, ds, createLogger('silent'));
      await second.listen({ port: 0, host: '127.0.0.1' });
      const address = second.getHttpServer().address();
      const url2 = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const agent = await newUser(t.ds, { role: 'agent' });
      await admin.request('PUT', `/api/accounts/${a.id}/members`, { userIds: [agent.id] });
      await admin.request('PUT', `/api/accounts/${b.id}/members`, { userIds: [agent.id] });
      const http = await loginAs(t.url, agent);
      const s = await connectSocket(url2, http.cookie); // the socket lives on the second instance

      // A webhook on the first instance reaches it, until membership of A is removed on the first.
      await customerSays(t.url, a, 'cross-instance hello');
      await s.waitFor((log) => accountsOf(log).includes(a.id));
      await admin.request('PUT', `/api/accounts/${a.id}/members`, { userIds: [] });
      await eventually('the remote socket left A', async () => !(await inRoom(second!, a.id, s.socket.id)));
      const before = s.events.length;
      await customerSays(t.url, a, 'cross-instance: must not arrive');
      await customerSays(t.url, b, 'cross-instance: for B');
      await s.waitFor((log) =>
        log.slice(before).some((e) => e.event === 'message.created' && accountsOf([e])[0] === b.id),
      );
      expect(accountsOf(s.events.slice(before))).not.toContain(a.id);

      // Revoking the session on the first instance disconnects the socket on the second within a second.
      const closed = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('still connected after 1000 ms')), 1000);
        s.socket.once('disconnect', (reason) => {
          clearTimeout(timer);
          resolve(reason);
        });
      });
      expect((await admin.request('DELETE', `/api/users/${agent.id}/sessions`)).body).toEqual({ revoked: 1 });
      expect(await closed).toBe('io server disconnect');
    } finally {
      await second?.close();
      await ds.destroy();
    }
  });
});

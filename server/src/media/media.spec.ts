import type { Conversation, Message, Page } from '@inbox/shared';
import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser } from '../../test/factories/user.factory';
import { connectSocket } from '../../test/realtime';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';
import { startWechatApiServer, type RunningWechatApiServer } from '../sandbox/wechat-api.server';
import { WechatApiSimulator } from '../sandbox/wechat-api.simulator';

/** Inbound media is fetched from WeChat (the sandbox) in the background and served only to the account's users. */
describe('inbound media (real PostgreSQL, pg-boss, HTTP to the WeChat sandbox)', () => {
  let sim: WechatApiSimulator;
  let wechat: RunningWechatApiServer;
  let t: TestApp;
  let a: MadeAccount;
  let member: HttpClient;
  let outsider: HttpClient;

  beforeAll(async () => {
    sim = new WechatApiSimulator();
    wechat = await startWechatApiServer(sim, { port: 0 });
    t = await startTestApp({ WECHAT_API_BASE: wechat.url });
    a = await newAccount(t.app, 'safe');
    sim.addApp({ appId: a.appId, secret: a.appSecret, originalId: a.originalId });
    const agent = await newUser(t.ds, { role: 'agent' });
    const other = await newUser(t.ds, { role: 'agent' });
    await t.app.get(AccountsService).setMembers(a.id, [agent.id]);
    member = new HttpClient(t.url);
    await member.request('POST', '/api/auth/login', { email: agent.email, password: agent.password });
    outsider = new HttpClient(t.url);
    await outsider.request('POST', '/api/auth/login', { email: other.email, password: other.password });
  });
  afterAll(async () => {
    await t.close();
    await wechat.close();
  });

  it('downloads an image after the push is acknowledged and serves the bytes to members only', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const mediaId = sim.addMedia(a.appId, { type: 'image', data: png, contentType: 'image/png', filename: 'x.png' });
    const socket = await connectSocket(t.url, member.cookie);
    try {
      const p = buildPush(a, {
        FromUserName: 'oPic',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'image',
        PicUrl: 'http://mmbiz.qpic.cn/x',
        MediaId: mediaId,
        MsgId: '4440000000000000001',
      });
      expect(await (await fetch(pushUrl(t.url, a.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
        'success',
      );
      await socket.waitFor(
        (log) =>
          log.some(
            (e) =>
              e.event === 'message.updated' &&
              typeof (e.payload as { message: Message }).message.payload.mediaUrl === 'string',
          ),
        20000,
      );
      const list = await member.request<Page<Conversation>>('GET', '/api/conversations');
      const c = list.body.items.find((x) => x.contact.openid === 'oPic')!;
      const msgs = await member.request<Page<Message>>('GET', `/api/conversations/${c.id}/messages`);
      const m = msgs.body.items[0]!;
      expect(m.payload).toMatchObject({
        mediaUrl: `/api/media/${m.id}`,
        mediaContentType: 'image/png',
        mediaSize: png.length,
      });
      const res = await fetch(`${t.url}/api/media/${m.id}`, { headers: { cookie: member.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
      expect((await fetch(`${t.url}/api/media/${m.id}`, { headers: { cookie: outsider.cookie } })).status).toBe(404);
      expect((await fetch(`${t.url}/api/media/${m.id}`)).status).toBe(401);
    } finally {
      socket.socket.close();
    }
  });

  it("records WeChat's reason when the media is gone (40007), without retrying", async () => {
    const socket = await connectSocket(t.url, member.cookie);
    try {
      const p = buildPush(a, {
        FromUserName: 'oOld',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'voice',
        MediaId: 'expired-media-id',
        Format: 'amr',
        MsgId: '4440000000000000002',
      });
      expect(await (await fetch(pushUrl(t.url, a.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
        'success',
      );
      await socket.waitFor(
        (log) =>
          log.some(
            (e) => e.event === 'message.updated' && 'mediaError' in (e.payload as { message: Message }).message.payload,
          ),
        20000,
      );
      const rows: { payload: { mediaErrorCode?: number } }[] = await t.ds.query(
        `SELECT payload FROM messages WHERE external_id = 'msg:4440000000000000002'`,
      );
      expect(rows[0]?.payload.mediaErrorCode).toBe(40007);
      expect(sim.calls.filter((c) => c.path === '/cgi-bin/media/get' && c.errcode === 40007)).toHaveLength(1);
    } finally {
      socket.socket.close();
    }
  });
});

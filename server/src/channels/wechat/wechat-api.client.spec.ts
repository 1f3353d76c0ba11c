import { createServer } from 'node:net';
import { startWechatApiServer, type RunningWechatApiServer } from '../../sandbox/wechat-api.server';
import { WechatApiSimulator, type SandboxApp } from '../../sandbox/wechat-api.simulator';
import { WechatApiClient, WechatMediaRejectedError, type CustomMessage } from './wechat-api.client';
import { WechatApiError } from './wechat-errors';

const MB = 1024 * 1024;

async function caught(p: Promise<unknown>): Promise<WechatApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WechatApiError) return err;
    throw err;
  }
  throw new Error('expected a WechatApiError');
}

describe('WechatApiClient against the sandbox over HTTP', () => {
  let sim: WechatApiSimulator;
  let server: RunningWechatApiServer;
  let app: SandboxApp;
  let client: WechatApiClient;
  let token: string;

  beforeEach(async () => {
    sim = new WechatApiSimulator();
    app = sim.addApp();
    server = await startWechatApiServer(sim, { port: 0 });
    client = new WechatApiClient({ baseUrl: server.url, timeoutMs: 2000 });
    token = (await client.fetchStableToken(app.appId, app.secret)).accessToken;
  });
  afterEach(async () => {
    await server.close();
  });

  describe('stable token (§5.2)', () => {
    it('posts the JSON of §5.2 and returns the token and its lifetime', async () => {
      const t = await client.fetchStableToken(app.appId, app.secret);
      // Normal mode: the same token again, with the seconds it has left.
      expect(t.accessToken).toBe(token);
      expect(t.expiresIn).toBeGreaterThan(7100);
      expect(t.expiresIn).toBeLessThanOrEqual(7200);
      const call = sim.calls.find((c) => c.path === '/cgi-bin/stable_token');
      expect(call?.method).toBe('POST');
      // The sandbox strips the secret from its log; the rest is exactly the doc's body.
      expect(call?.body).toEqual({ grant_type: 'client_credential', appid: app.appId, force_refresh: false });
    });

    it('reports a wrong secret as a credentials problem, without the secret in the error', async () => {
      const wrong = 'wrong-secret-value-123';
      const err = await caught(client.fetchStableToken(app.appId, wrong));
      expect(err.errcode).toBe(40125);
      expect(err.kind).toBe('credentials');
      expect(`${err.message} ${err.errmsg}`).not.toContain(wrong);
      const unknown = await caught(client.fetchStableToken('wx-unknown', app.secret));
      expect([unknown.errcode, unknown.kind]).toEqual([40013, 'credentials']);
    });

    it('treats 40001 while fetching as a wrong secret, not as a token to refresh (§5.3)', async () => {
      sim.setFault(app.appId, { errcode: 40001, paths: ['/cgi-bin/stable_token'] });
      const err = await caught(client.fetchStableToken(app.appId, app.secret));
      expect([err.errcode, err.kind]).toEqual([40001, 'credentials']);
    });
  });

  describe('custom messages (§6.1)', () => {
    // The request bodies exactly as the protocol doc shows them.
    const DOC_BODIES: CustomMessage[] = [
      { touser: 'OPENID', msgtype: 'text', text: { content: 'Hello World' } },
      { touser: 'OPENID', msgtype: 'image', image: { media_id: 'MEDIA_ID' } },
      { touser: 'OPENID', msgtype: 'voice', voice: { media_id: 'MEDIA_ID' } },
      {
        touser: 'OPENID',
        msgtype: 'video',
        video: { media_id: 'MEDIA_ID', thumb_media_id: 'MEDIA_ID', title: 'TITLE', description: 'DESC' },
      },
      {
        touser: 'OPENID',
        msgtype: 'news',
        news: { articles: [{ title: 'T', description: 'D', url: 'URL', picurl: 'PIC_URL' }] },
      },
      {
        touser: 'OPENID',
        msgtype: 'msgmenu',
        msgmenu: {
          head_content: '您对本次服务是否满意呢?',
          list: [
            { id: '101', content: '满意' },
            { id: '102', content: '不满意' },
          ],
          tail_content: '欢迎再次光临',
        },
      },
      {
        touser: 'OPENID',
        msgtype: 'text',
        text: { content: 'Hello World' },
        customservice: { kf_account: 'test1@kftest' },
      },
    ];
    const DOC_JSON = [
      '{"touser":"OPENID","msgtype":"text","text":{"content":"Hello World"}}',
      '{"touser":"OPENID","msgtype":"image","image":{"media_id":"MEDIA_ID"}}',
      '{"touser":"OPENID","msgtype":"voice","voice":{"media_id":"MEDIA_ID"}}',
      '{"touser":"OPENID","msgtype":"video","video":{"media_id":"MEDIA_ID","thumb_media_id":"MEDIA_ID","title":"TITLE","description":"DESC"}}',
      '{"touser":"OPENID","msgtype":"news","news":{"articles":[{"title":"T","description":"D","url":"URL","picurl":"PIC_URL"}]}}',
      '{"touser":"OPENID","msgtype":"msgmenu","msgmenu":{"head_content":"您对本次服务是否满意呢?","list":[{"id":"101","content":"满意"},{"id":"102","content":"不满意"}],"tail_content":"欢迎再次光临"}}',
      '{"touser":"OPENID","msgtype":"text","text":{"content":"Hello World"},"customservice":{"kf_account":"test1@kftest"}}',
    ];

    it('sends every message type with the body of the doc', async () => {
      sim.addMedia(app.appId, {
        mediaId: 'MEDIA_ID',
        type: 'image',
        data: Buffer.from('x'),
        contentType: 'image/png',
        filename: 'x.png',
      });
      for (const body of DOC_BODIES) {
        sim.userMessage(app.appId, 'OPENID'); // keep the window open: 5 sends per user message
        await client.sendCustomMessage(token, body);
      }
      expect(sim.sent.map((s) => s.body)).toEqual(DOC_JSON.map((j) => JSON.parse(j) as unknown));
      const raws = sim.calls.filter((c) => c.path === '/cgi-bin/message/custom/send').map((c) => c.raw);
      // UTF-8 as is: CJK not \u-escaped (old error 40033).
      expect(raws[5]).toContain('满意');
      expect(raws[5]).not.toContain('\\u');
    });

    it('turns 45015 into a permanent error with the agent-facing reason', async () => {
      sim.addUser(app.appId, { openid: 'o-quiet' });
      const err = await caught(
        client.sendCustomMessage(token, { touser: 'o-quiet', msgtype: 'text', text: { content: 'hi' } }),
      );
      expect(err.errcode).toBe(45015);
      expect(err.kind).toBe('permanent');
      expect(err.reason.en).toBe('The 48-hour reply window has closed or the customer unfollowed');
      expect(err.reason['zh-CN']).toBe('48 小时回复窗口已关闭，或客户已取消关注');
      expect(err.maybeDelivered).toBe(false);
      expect(err.api).toBe('/cgi-bin/message/custom/send');
      expect(err.message).not.toContain(token);
    });

    it('turns 45047, 43004 and 40003 into permanent errors', async () => {
      sim.userMessage(app.appId, 'o-a');
      const msg = (touser: string): CustomMessage => ({ touser, msgtype: 'text', text: { content: 'x' } });
      for (let i = 0; i < 5; i++) await client.sendCustomMessage(token, msg('o-a'));
      sim.addUser(app.appId, { openid: 'o-gone', subscribed: false });
      const codes = [];
      for (const to of ['o-a', 'o-gone', 'o-nobody']) {
        const err = await caught(client.sendCustomMessage(token, msg(to)));
        codes.push([err.errcode, err.kind]);
      }
      expect(codes).toEqual([
        [45047, 'permanent'],
        [43004, 'permanent'],
        [40003, 'permanent'],
      ]);
    });

    it('marks token errors as kind token', async () => {
      sim.userMessage(app.appId, 'o-a');
      sim.expireTokens(app.appId);
      const expired = await caught(
        client.sendCustomMessage(token, { touser: 'o-a', msgtype: 'text', text: { content: 'x' } }),
      );
      expect([expired.errcode, expired.kind]).toEqual([42001, 'token']);
      const fresh = (await client.fetchStableToken(app.appId, app.secret)).accessToken;
      sim.invalidateTokens(app.appId);
      const invalid = await caught(
        client.sendCustomMessage(fresh, { touser: 'o-a', msgtype: 'text', text: { content: 'x' } }),
      );
      expect([invalid.errcode, invalid.kind]).toEqual([40001, 'token']);
    });

    it('sends the typing command of §6.2', async () => {
      sim.userMessage(app.appId, 'o-a');
      await client.typing(token, 'o-a', 'Typing');
      await client.typing(token, 'o-a', 'CancelTyping');
      expect(sim.typing.map((t) => [t.openid, t.command])).toEqual([
        ['o-a', 'Typing'],
        ['o-a', 'CancelTyping'],
      ]);
      expect(sim.calls.filter((c) => c.path === '/cgi-bin/message/custom/typing').map((c) => c.body)).toEqual([
        { touser: 'o-a', command: 'Typing' },
        { touser: 'o-a', command: 'CancelTyping' },
      ]);
    });
  });

  describe('failures without an answer are transient', () => {
    const msg: CustomMessage = { touser: 'o-a', msgtype: 'text', text: { content: 'x' } };
    beforeEach(() => sim.userMessage(app.appId, 'o-a'));

    it('-1 system busy', async () => {
      sim.setFault(app.appId, { errcode: -1, times: 1 });
      const err = await caught(client.sendCustomMessage(token, msg));
      expect([err.errcode, err.kind]).toEqual([-1, 'transient']);
    });

    it('HTTP 500: transient, and maybe delivered', async () => {
      sim.setFault(app.appId, { httpStatus: 500, times: 1 });
      const err = await caught(client.sendCustomMessage(token, msg));
      expect(err.kind).toBe('transient');
      expect(err.errcode).toBeNull();
      expect(err.httpStatus).toBe(500);
      expect(err.maybeDelivered).toBe(true);
      expect(err.message).not.toContain(token);
    });

    it('a dropped connection: transient, and maybe delivered', async () => {
      sim.setFault(app.appId, { dropConnection: true, times: 1 });
      const err = await caught(client.sendCustomMessage(token, msg));
      expect(err.kind).toBe('transient');
      expect(err.transport).toBe('network');
      expect(err.maybeDelivered).toBe(true);
      expect(err.message).not.toContain(token);
      await client.sendCustomMessage(token, msg); // and the next call goes through
      expect(sim.sent).toHaveLength(1);
    });

    it('no answer within the timeout', async () => {
      const impatient = new WechatApiClient({ baseUrl: server.url, timeoutMs: 50 });
      sim.setFault(app.appId, { latencyMs: 500, times: 1 });
      const err = await caught(impatient.sendCustomMessage(token, msg));
      expect(err.kind).toBe('transient');
      expect(err.transport).toBe('timeout');
      expect(err.maybeDelivered).toBe(true);
    });

    it('nothing listening: transient, and certainly not delivered', async () => {
      const port = await new Promise<number>((resolve) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => {
          const a = s.address();
          s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
        });
      });
      const nowhere = new WechatApiClient({ baseUrl: `http://127.0.0.1:${port}` });
      const err = await caught(nowhere.sendCustomMessage(token, msg));
      expect(err.kind).toBe('transient');
      expect(err.maybeDelivered).toBe(false);
      expect(err.message).not.toContain(token);
    });
  });

  describe('media (§7)', () => {
    const cases: Array<[string, 'image' | 'voice' | 'video' | 'thumb', number, string, string, string]> = [
      ['an image over 2 MB', 'image', 2 * MB + 1, 'a.jpg', 'image/jpeg', 'wechat/media_too_large'],
      ['a BMP image', 'image', 100, 'a.bmp', 'image/bmp', 'wechat/media_type'],
      ['a voice over 2 MB', 'voice', 2 * MB + 1, 'a.mp3', 'audio/mpeg', 'wechat/media_too_large'],
      ['a WAV voice', 'voice', 100, 'a.wav', 'audio/wav', 'wechat/media_type'],
      ['a video over 10 MB', 'video', 10 * MB + 1, 'a.mp4', 'video/mp4', 'wechat/media_too_large'],
      ['a MOV video', 'video', 100, 'a.mov', 'video/quicktime', 'wechat/media_type'],
      ['a thumb over 64 KB', 'thumb', 64 * 1024 + 1, 'a.jpg', 'image/jpeg', 'wechat/media_too_large'],
      ['a PNG thumb', 'thumb', 100, 'a.png', 'image/png', 'wechat/media_type'],
      ['an empty file', 'image', 0, 'a.png', 'image/png', 'wechat/media_type'],
    ];

    it.each(cases)('refuses %s before any HTTP call', async (_what, type, size, filename, contentType, code) => {
      const before = sim.calls.length;
      const p = client.uploadMedia(token, type, Buffer.alloc(size, 7), filename, contentType);
      await expect(p).rejects.toBeInstanceOf(WechatMediaRejectedError);
      await expect(p).rejects.toMatchObject({ code, status: 400 });
      expect(sim.calls.length).toBe(before);
    });

    it('accepts files right at the limits', async () => {
      const image = await client.uploadMedia(token, 'image', Buffer.alloc(2 * MB, 1), 'big.JPG', 'image/jpeg');
      const thumb = await client.uploadMedia(token, 'thumb', Buffer.alloc(64 * 1024, 1), 't.jpg', 'image/jpeg');
      expect(image.type).toBe('image');
      expect(thumb.type).toBe('thumb');
      // A thumb upload answers with thumb_media_id; the client gives it as mediaId.
      expect(sim.media(thumb.mediaId)?.type).toBe('thumb');
    });

    it('round-trips uploaded bytes through getMedia, with type and file name', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
      const up = await client.uploadMedia(token, 'image', png, 'photo.png', 'image/png');
      expect(sim.media(up.mediaId)?.data).toEqual(png);
      expect(up.createdAt).toBeGreaterThan(1_600_000_000);
      const got = await client.getMedia(token, up.mediaId);
      expect(got.data).toEqual(png);
      expect(got.contentType).toBe('image/png');
      expect(got.filename).toBe(`${up.mediaId}.png`);
    });

    it('downloads a video through its video_url', async () => {
      const mp4 = Buffer.from('....ftypmp42 video bytes');
      const id = sim.addMedia(app.appId, { type: 'video', data: mp4, contentType: 'video/mp4', filename: 'clip.mp4' });
      const got = await client.getMedia(token, id);
      expect(got.data).toEqual(mp4);
      expect(got.contentType).toBe('video/mp4');
    });

    it('detects a JSON error answer instead of treating it as the file', async () => {
      const err = await caught(client.getMedia(token, 'no-such-media'));
      expect([err.errcode, err.kind]).toEqual([40007, 'permanent']);
      expect(err.message).not.toContain(token);
      const other = sim.addApp();
      const theirs = sim.addMedia(other.appId, {
        type: 'image',
        data: Buffer.from('x'),
        contentType: 'image/png',
        filename: 'x.png',
      });
      expect((await caught(client.getMedia(token, theirs))).errcode).toBe(40007);
    });
  });

  describe('user info (§8)', () => {
    it('returns what WeChat still gives', async () => {
      const openid = sim.addUser(app.appId, { unionid: 'union-1', remark: 'VIP' });
      expect(await client.getUserInfo(token, openid)).toEqual({
        openid,
        subscribed: true,
        subscribeTime: expect.any(Number),
        unionid: 'union-1',
        remark: 'VIP',
        groupId: 0,
        tagIds: [],
        subscribeScene: 'ADD_SCENE_QR_CODE',
        qrScene: 0,
      });
      const gone = sim.addUser(app.appId, { subscribed: false });
      expect(await client.getUserInfo(token, gone)).toEqual({ openid: gone, subscribed: false, tagIds: [] });
      expect((await caught(client.getUserInfo(token, 'o-nobody'))).errcode).toBe(40003);
    });
  });
});

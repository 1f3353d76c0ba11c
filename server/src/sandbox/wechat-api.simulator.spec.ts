import Fastify from 'fastify';
import { registerWechatApiRoutes, startWechatApiServer, type RunningWechatApiServer } from './wechat-api.server';
import { WechatApiSimulator, type SandboxApp, type SandboxEventKind } from './wechat-api.simulator';

const MINUTE = 60_000;
const HOUR = 3600_000;

type Body = Record<string, unknown>;

/** Drives the simulator through its request interface (the same path HTTP takes), with a hand-moved clock. */
function harness(options: { sendsPerMinute?: number; tokenTtlSeconds?: number } = {}) {
  const clock = { t: Date.UTC(2025, 0, 6, 9, 0, 0) };
  const sim = new WechatApiSimulator({ now: () => clock.t, ...options });
  const app = sim.addApp();

  async function call(path: string, init: { method?: string; query?: Record<string, string>; json?: unknown }) {
    const res = await sim.handle({
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      path,
      query: new URLSearchParams(init.query ?? {}),
      contentType: 'application/json',
      body: init.json === undefined ? undefined : Buffer.from(JSON.stringify(init.json)),
      baseUrl: 'http://sandbox.test',
    });
    if (res.kind !== 'json') throw new Error(`expected JSON, got ${res.kind}`);
    return res.body;
  }
  async function stable(a: SandboxApp = app, extra: Body = {}) {
    return call('/cgi-bin/stable_token', {
      json: { grant_type: 'client_credential', appid: a.appId, secret: a.secret, force_refresh: false, ...extra },
    });
  }
  async function token(a: SandboxApp = app): Promise<string> {
    const b = await stable(a);
    if (typeof b.access_token !== 'string') throw new Error(JSON.stringify(b));
    return b.access_token;
  }
  async function send(tok: string, openid: string, body: Body = { msgtype: 'text', text: { content: 'hi' } }) {
    const b = await call('/cgi-bin/message/custom/send', {
      query: { access_token: tok },
      json: { touser: openid, ...body },
    });
    return b.errcode;
  }
  async function sendMany(tok: string, openid: string, n: number): Promise<unknown[]> {
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(await send(tok, openid));
    return out;
  }
  return { clock, sim, app, call, stable, token, send, sendMany };
}

describe('WeChat API simulator: tokens (§5)', () => {
  it('issues a stable token of 7200 s and returns the same one during its validity', async () => {
    const h = harness();
    const first = await h.stable();
    expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    h.clock.t += HOUR;
    const again = await h.stable();
    expect(again.access_token).toBe(first.access_token);
    expect(again.expires_in).toBe(3600);
    expect(h.sim.tokenFetches(h.app.appId)).toBe(2);
  });

  it('hands out a new stable token in the last 5 minutes; the old one works until it expires', async () => {
    const h = harness();
    const old = await h.token();
    h.sim.userMessage(h.app.appId, 'o-user');
    h.clock.t += 7200_000 - 4 * MINUTE;
    const renewed = await h.stable();
    expect(renewed.access_token).not.toBe(old);
    expect(renewed.expires_in).toBe(7200);
    expect(await h.send(old, 'o-user')).toBe(0);
    h.clock.t += 4 * MINUTE;
    expect(await h.send(old, 'o-user')).toBe(42001);
    expect(await h.send(renewed.access_token as string, 'o-user')).toBe(0);
  });

  it('uses a configurable lifetime', async () => {
    const h = harness({ tokenTtlSeconds: 600 });
    expect((await h.stable()).expires_in).toBe(600);
  });

  it('refuses a wrong secret (40125), an unknown appid (40013) and missing fields', async () => {
    const h = harness();
    expect((await h.stable(h.app, { secret: 'wrong' })).errcode).toBe(40125);
    expect((await h.stable({ ...h.app, appId: 'wx-nope' })).errcode).toBe(40013);
    expect((await h.stable(h.app, { appid: undefined })).errcode).toBe(41002);
    expect((await h.stable(h.app, { secret: undefined })).errcode).toBe(41004);
    expect((await h.stable(h.app, { grant_type: 'password' })).errcode).toBe(40002);
  });

  it('answers 41001 without a token, 40001 for an unknown or invalidated one, 42001 for an expired one', async () => {
    const h = harness();
    h.sim.userMessage(h.app.appId, 'o-user');
    expect((await h.call('/cgi-bin/message/custom/send', { json: { touser: 'o-user' } })).errcode).toBe(41001);
    expect(await h.send('made-up-token', 'o-user')).toBe(40001);

    const t1 = await h.token();
    h.sim.expireTokens(h.app.appId);
    expect(await h.send(t1, 'o-user')).toBe(42001);
    const t2 = await h.token();
    expect(t2).not.toBe(t1);
    expect(await h.send(t2, 'o-user')).toBe(0);

    h.sim.invalidateTokens(h.app.appId);
    expect(await h.send(t2, 'o-user')).toBe(40001);
    const t3 = await h.token();
    expect(t3).not.toBe(t2);
    expect(await h.send(t3, 'o-user')).toBe(0);
  });

  it('force_refresh invalidates the previous stable token', async () => {
    const h = harness();
    h.sim.userMessage(h.app.appId, 'o-user');
    const t1 = await h.token();
    const forced = await h.stable(h.app, { force_refresh: true });
    expect(forced.access_token).not.toBe(t1);
    expect(await h.send(t1, 'o-user')).toBe(40001);
  });

  it('keeps /cgi-bin/token apart from stable_token; a new classic token leaves the old one 5 minutes', async () => {
    const h = harness();
    h.sim.userMessage(h.app.appId, 'o-user');
    const stable = await h.token();
    const classic = async () =>
      (
        await h.call('/cgi-bin/token', {
          query: { grant_type: 'client_credential', appid: h.app.appId, secret: h.app.secret },
        })
      ).access_token as string;
    const c1 = await classic();
    const c2 = await classic();
    expect(c2).not.toBe(c1);
    expect(await h.send(c1, 'o-user')).toBe(0);
    expect(await h.send(stable, 'o-user')).toBe(0);
    h.clock.t += 5 * MINUTE;
    expect(await h.send(c1, 'o-user')).toBe(42001);
    expect(await h.send(c2, 'o-user')).toBe(0);
    expect(await h.send(stable, 'o-user')).toBe(0);
  });

  it('never records the AppSecret or the access token in its call log', async () => {
    const h = harness();
    const t = await h.token();
    await h.send(t, 'nobody');
    const log = JSON.stringify(h.sim.calls);
    expect(log).not.toContain(h.app.secret);
    expect(log).not.toContain(t);
    expect(h.sim.calls.map((c) => [c.path, c.appId, c.errcode])).toEqual([
      ['/cgi-bin/stable_token', h.app.appId, 0],
      ['/cgi-bin/message/custom/send', h.app.appId, 40003],
    ]);
  });
});

describe('WeChat API simulator: the reply window (§6.3, §6.4)', () => {
  it('opens 5 sends for 48 h on a user message, then answers 45047', async () => {
    const h = harness();
    const t = await h.token();
    h.sim.userMessage(h.app.appId, 'o-user');
    expect(await h.sendMany(t, 'o-user', 6)).toEqual([0, 0, 0, 0, 0, 45047]);
    expect(h.sim.sent).toHaveLength(5);
    expect(h.sim.sent[0]).toEqual({
      appId: h.app.appId,
      openid: 'o-user',
      body: { touser: 'o-user', msgtype: 'text', text: { content: 'hi' } },
      at: h.clock.t,
    });
  });

  it('closes the window 48 h after the user message (45015)', async () => {
    const h = harness();
    const t = await h.token();
    const at = h.clock.t;
    h.sim.userMessage(h.app.appId, 'o-user', at);
    h.clock.t = at + 48 * HOUR - 1;
    h.sim.expireTokens(h.app.appId); // tokens live 2 h; take a current one
    const t2 = await h.token();
    expect(t2).not.toBe(t);
    expect(await h.send(t2, 'o-user')).toBe(0);
    h.clock.t = at + 48 * HOUR;
    expect(await h.send(t2, 'o-user')).toBe(45015);
    expect(h.sim.window(h.app.appId, 'o-user')).toBeUndefined();
  });

  it('is not cumulative: a new user message resets the allowance to 5, not 5 + what was left', async () => {
    const h = harness();
    const t = await h.token();
    h.sim.userMessage(h.app.appId, 'o-user');
    expect(await h.sendMany(t, 'o-user', 3)).toEqual([0, 0, 0]);
    h.clock.t += HOUR;
    h.sim.userMessage(h.app.appId, 'o-user');
    expect(h.sim.window(h.app.appId, 'o-user')).toEqual({ remaining: 5, expiresAt: h.clock.t + 48 * HOUR });
    expect(await h.sendMany(t, 'o-user', 6)).toEqual([0, 0, 0, 0, 0, 45047]);
  });

  it('resets a used-up window when the user writes again', async () => {
    const h = harness();
    const t = await h.token();
    h.sim.userMessage(h.app.appId, 'o-user');
    await h.sendMany(t, 'o-user', 5);
    expect(await h.send(t, 'o-user')).toBe(45047);
    h.sim.userMessage(h.app.appId, 'o-user');
    expect(await h.send(t, 'o-user')).toBe(0);
  });

  it.each<SandboxEventKind>(['subscribe', 'SCAN', 'CLICK', 'scancode_push', 'scancode_waitmsg'])(
    '%s opens 3 sends for 1 minute',
    async (kind) => {
      const h = harness();
      const t = await h.token();
      h.sim.userEvent(h.app.appId, 'o-user', kind);
      expect(await h.sendMany(t, 'o-user', 4)).toEqual([0, 0, 0, 45047]);
      h.sim.userEvent(h.app.appId, 'o-user', kind);
      expect(await h.send(t, 'o-user')).toBe(0);
      h.clock.t += MINUTE;
      expect(await h.send(t, 'o-user')).toBe(45015);
    },
  );

  it.each<SandboxEventKind>(['VIEW', 'LOCATION', 'view_miniprogram'])('%s opens no window', async (kind) => {
    const h = harness();
    const t = await h.token();
    h.sim.addUser(h.app.appId, { openid: 'o-user' });
    h.sim.userEvent(h.app.appId, 'o-user', kind);
    expect(await h.send(t, 'o-user')).toBe(45015);
  });

  it('a menu click does not cut a 48 h window down to 1 minute', async () => {
    const h = harness();
    const t = await h.token();
    h.sim.userMessage(h.app.appId, 'o-user');
    h.sim.userEvent(h.app.appId, 'o-user', 'CLICK');
    h.clock.t += 10 * MINUTE;
    expect(await h.send(t, 'o-user')).toBe(0);
  });

  it('answers 40003 for an openid it does not know, or one of another account', async () => {
    const h = harness();
    const other = h.sim.addApp();
    h.sim.userMessage(other.appId, 'o-theirs');
    const t = await h.token();
    expect(await h.send(t, 'o-unknown')).toBe(40003);
    expect(await h.send(t, 'o-theirs')).toBe(40003);
  });

  it('answers 43004 to a user who does not follow, or unfollowed', async () => {
    const h = harness();
    const t = await h.token();
    h.sim.addUser(h.app.appId, { openid: 'o-never', subscribed: false });
    expect(await h.send(t, 'o-never')).toBe(43004);
    h.sim.userMessage(h.app.appId, 'o-left');
    expect(await h.send(t, 'o-left')).toBe(0);
    h.sim.userEvent(h.app.appId, 'o-left', 'unsubscribe');
    expect(await h.send(t, 'o-left')).toBe(43004);
    expect(h.sim.user(h.app.appId, 'o-left')?.subscribed).toBe(false);
  });

  it('answers 45011 past the per-minute send limit, and lets sends through again the next minute', async () => {
    const h = harness({ sendsPerMinute: 3 });
    h.clock.t = Date.UTC(2025, 0, 6, 9, 0, 0);
    const t = await h.token();
    for (const u of ['a', 'b']) h.sim.userMessage(h.app.appId, u);
    expect([await h.send(t, 'a'), await h.send(t, 'b'), await h.send(t, 'a'), await h.send(t, 'b')]).toEqual([
      0, 0, 0, 45011,
    ]);
    h.clock.t += MINUTE;
    expect(await h.send(t, 'b')).toBe(0);
  });

  it('checks the message: one news article (45008), a known msgtype (40008), a live media_id (40007)', async () => {
    const h = harness();
    const t = await h.token();
    h.sim.userMessage(h.app.appId, 'o-user');
    const article = { title: 'T', description: 'D', url: 'https://example.com', picurl: 'https://example.com/p.png' };
    expect(await h.send(t, 'o-user', { msgtype: 'news', news: { articles: [article, article] } })).toBe(45008);
    expect(await h.send(t, 'o-user', { msgtype: 'sticker', sticker: {} })).toBe(40008);
    expect(await h.send(t, 'o-user', { msgtype: 'image', image: { media_id: 'nope' } })).toBe(40007);
    const mediaId = h.sim.addMedia(h.app.appId, {
      type: 'image',
      data: Buffer.from('png'),
      contentType: 'image/png',
      filename: 'a.png',
    });
    expect(await h.send(t, 'o-user', { msgtype: 'image', image: { media_id: mediaId } })).toBe(0);
    h.clock.t += 72 * HOUR;
    h.sim.userMessage(h.app.appId, 'o-user');
    const t2 = await h.token();
    expect(await h.send(t2, 'o-user', { msgtype: 'image', image: { media_id: mediaId } })).toBe(40007);
    expect(h.sim.sent).toHaveLength(1);
  });

  it('applies the typing rules of §6.2', async () => {
    const h = harness();
    const t = await h.token();
    const typing = async (command: string) =>
      (
        await h.call('/cgi-bin/message/custom/typing', {
          query: { access_token: t },
          json: { touser: 'o-user', command },
        })
      ).errcode;
    h.sim.addUser(h.app.appId, { openid: 'o-user' });
    expect(await typing('Typing')).toBe(45015);
    h.sim.userMessage(h.app.appId, 'o-user');
    expect(await typing('Typing')).toBe(0);
    expect(await typing('Typing')).toBe(45081);
    expect(await typing('Dance')).toBe(45072);
    expect(await typing('CancelTyping')).toBe(0);
    h.clock.t += 31_000;
    expect(await typing('Typing')).toBe(45080);
    expect(h.sim.typing.map((r) => r.command)).toEqual(['Typing', 'CancelTyping']);
  });
});

describe('WeChat API simulator over HTTP', () => {
  let sim: WechatApiSimulator;
  let server: RunningWechatApiServer;
  let app: SandboxApp;

  beforeEach(async () => {
    sim = new WechatApiSimulator();
    app = sim.addApp();
    server = await startWechatApiServer(sim, { port: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  async function post(path: string, body: unknown, query: Record<string, string> = {}) {
    const url = new URL(server.url + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  async function token(): Promise<string> {
    const res = await post('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: app.appId,
      secret: app.secret,
      force_refresh: false,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(7200);
    return body.access_token;
  }
  const text = (touser: string) => ({ touser, msgtype: 'text', text: { content: '你好' } });

  it('serves stable_token and custom/send with WeChat’s paths and JSON', async () => {
    const t = await token();
    sim.userMessage(app.appId, 'o-user');
    const ok = await post('/cgi-bin/message/custom/send', text('o-user'), { access_token: t });
    expect(await ok.json()).toEqual({ errcode: 0, errmsg: 'ok' });
    const closed = await post('/cgi-bin/message/custom/send', text('o-other'), { access_token: t });
    expect(await closed.json()).toEqual({ errcode: 40003, errmsg: expect.stringMatching(/^invalid openid/) });
    const garbage = await fetch(`${server.url}/cgi-bin/message/custom/send?access_token=${t}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(((await garbage.json()) as Body).errcode).toBe(47001);
    expect(sim.sent.map((s) => s.body)).toEqual([text('o-user')]);
  });

  it('injects an errcode for a number of calls, then behaves again', async () => {
    const t = await token();
    sim.userMessage(app.appId, 'o-user');
    sim.setFault(app.appId, { errcode: -1, times: 2, paths: ['/cgi-bin/message/custom/send'] });
    const codes: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      codes.push(
        ((await (await post('/cgi-bin/message/custom/send', text('o-user'), { access_token: t })).json()) as Body)
          .errcode,
      );
    }
    expect(codes).toEqual([-1, -1, 0]);
    expect(sim.sent).toHaveLength(1);
  });

  it('injects an HTTP 500 with a non-JSON body', async () => {
    const t = await token();
    sim.setFault(app.appId, { httpStatus: 500 });
    const res = await post('/cgi-bin/message/custom/send', text('o-user'), { access_token: t });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).not.toMatch(/json/);
    sim.clearFault(app.appId);
    const after = await post('/cgi-bin/message/custom/send', text('o-user'), { access_token: t });
    expect(after.status).toBe(200);
  });

  it('drops the connection without an answer', async () => {
    const t = await token();
    sim.setFault(app.appId, { dropConnection: true, times: 1 });
    await expect(post('/cgi-bin/message/custom/send', text('o-user'), { access_token: t })).rejects.toThrow();
    expect(sim.sent).toHaveLength(0);
  });

  it('delays answers by the injected latency', async () => {
    const t = await token();
    sim.userMessage(app.appId, 'o-user');
    sim.setFault(app.appId, { latencyMs: 150, times: 1 });
    const started = performance.now();
    const res = await post('/cgi-bin/message/custom/send', text('o-user'), { access_token: t });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(((await res.json()) as Body).errcode).toBe(0);
  });

  it('faults only the app they were set for', async () => {
    const other = sim.addApp();
    sim.setFault(other.appId, { errcode: -1 });
    await token(); // would fail if app were faulted
    const res = await post('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: other.appId,
      secret: other.secret,
    });
    expect(((await res.json()) as Body).errcode).toBe(-1);
  });

  it('takes multipart uploads and serves them back from media/get; videos come as video_url', async () => {
    const t = await token();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const form = new FormData();
    form.append('media', new Blob([png], { type: 'image/png' }), 'pic.png');
    const up = await fetch(`${server.url}/cgi-bin/media/upload?access_token=${t}&type=image`, {
      method: 'POST',
      body: form,
    });
    const uploaded = (await up.json()) as { type: string; media_id: string; created_at: number };
    expect(uploaded).toEqual({ type: 'image', media_id: expect.any(String), created_at: expect.any(Number) });

    const got = await fetch(`${server.url}/cgi-bin/media/get?access_token=${t}&media_id=${uploaded.media_id}`);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="${uploaded.media_id}.png"`);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(png);

    const videoId = sim.addMedia(app.appId, {
      type: 'video',
      data: Buffer.from('mp4 bytes'),
      contentType: 'video/mp4',
      filename: 'v.mp4',
    });
    const v = (await (await fetch(`${server.url}/cgi-bin/media/get?access_token=${t}&media_id=${videoId}`)).json()) as {
      video_url: string;
    };
    expect(v.video_url.startsWith(server.url)).toBe(true);
    expect(Buffer.from(await (await fetch(v.video_url)).arrayBuffer()).toString()).toBe('mp4 bytes');

    const missing = await fetch(`${server.url}/cgi-bin/media/get?access_token=${t}&media_id=nope`);
    expect(((await missing.json()) as Body).errcode).toBe(40007);
  });

  it('refuses uploads of the wrong type or size with WeChat’s codes', async () => {
    const t = await token();
    const upload = async (type: string, bytes: number, name: string) => {
      const form = new FormData();
      form.append('media', new Blob([Buffer.alloc(bytes, 1)]), name);
      const res = await fetch(`${server.url}/cgi-bin/media/upload?access_token=${t}&type=${type}`, {
        method: 'POST',
        body: form,
      });
      return ((await res.json()) as Body).errcode;
    };
    expect(await upload('image', 10, 'a.bmp')).toBe(40005);
    expect(await upload('sticker', 10, 'a.png')).toBe(40004);
    expect(await upload('thumb', 64 * 1024 + 1, 'a.jpg')).toBe(40012);
  });

  it('answers user/info without nickname or avatar (§8)', async () => {
    const t = await token();
    const openid = sim.addUser(app.appId, { unionid: 'u-1' });
    const gone = sim.addUser(app.appId, { subscribed: false });
    const info = (await (
      await fetch(`${server.url}/cgi-bin/user/info?access_token=${t}&openid=${openid}&lang=zh_CN`)
    ).json()) as Body;
    expect(info).toMatchObject({ subscribe: 1, openid, unionid: 'u-1', subscribe_scene: 'ADD_SCENE_QR_CODE' });
    expect(info).not.toHaveProperty('nickname');
    expect(info).not.toHaveProperty('headimgurl');
    const left = (await (
      await fetch(`${server.url}/cgi-bin/user/info?access_token=${t}&openid=${gone}`)
    ).json()) as Body;
    expect(left.subscribe).toBe(0);
    const none = (await (
      await fetch(`${server.url}/cgi-bin/user/info?access_token=${t}&openid=nobody`)
    ).json()) as Body;
    expect(none.errcode).toBe(40003);
  });

  it('mounts under a prefix on an app’s Fastify instance without touching the app’s own JSON parsing', async () => {
    const host = Fastify({ logger: false });
    host.post('/api/echo', async (req) => ({ got: req.body }));
    await registerWechatApiRoutes(host, sim, '/sandbox/wechat');
    await host.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = host.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const echo = await fetch(`${base}/api/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(await echo.json()).toEqual({ got: { a: 1 } });
      const tok = (await (
        await fetch(`${base}/sandbox/wechat/cgi-bin/stable_token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credential', appid: app.appId, secret: app.secret }),
        })
      ).json()) as Body;
      expect(tok.expires_in).toBe(7200);
      const videoId = sim.addMedia(app.appId, {
        type: 'video',
        data: Buffer.from('v'),
        contentType: 'video/mp4',
        filename: 'v.mp4',
      });
      const v = (await (
        await fetch(
          `${base}/sandbox/wechat/cgi-bin/media/get?access_token=${String(tok.access_token)}&media_id=${videoId}`,
        )
      ).json()) as { video_url: string };
      expect(v.video_url.startsWith(`${base}/sandbox/wechat/`)).toBe(true);
      expect(await (await fetch(v.video_url)).text()).toBe('v');
    } finally {
      await host.close();
    }
  });
});

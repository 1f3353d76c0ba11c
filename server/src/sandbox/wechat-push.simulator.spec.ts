import * as wecom from '@wecom/crypto';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { parseWechatXml, type WechatXmlObject } from '../channels/wechat/wechat-xml';
import { WechatApiSimulator, type SandboxApp } from './wechat-api.simulator';
import {
  classifyAnswer,
  MAX_DELIVERIES,
  PUSH_TIMEOUT_MS,
  SandboxPushError,
  WechatPushSimulator,
  type PushAccount,
} from './wechat-push.simulator';

/**
 * Expectations written from the protocol doc (§1, §2, §3, §4.1), not from the implementation: the signature is
 * recomputed here with node:crypto, ciphertexts are opened with the independent @wecom/crypto, and the callback
 * URL is a real local HTTP server that answers as each test needs (or holds its answer until the test lets go).
 */

interface Received {
  query: URLSearchParams;
  body: string;
}

type Answer = { status: number; body: string } | 'hold';

/** A callback URL on port 0. `answer(n)` decides the n-th (1-based) delivery's answer. */
async function callbackServer(answer: (n: number, req: Received) => Answer | Promise<Answer>) {
  const received: Received[] = [];
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        query: new URL(req.url ?? '/', 'http://x').searchParams,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      void Promise.resolve(answer(received.length, r)).then((a) => {
        if (a === 'hold') held.push(res);
        else res.writeHead(a.status, { 'content-type': 'text/plain' }).end(a.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cb`,
    received,
    /** Answers every held request (they were given up on long ago). */
    release() {
      for (const res of held.splice(0)) if (!res.destroyed) res.end('success');
    },
    async close() {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const sha1 = (...parts: string[]) =>
  createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');

function target(app: SandboxApp, url: string, mode: PushAccount['mode'] = 'plaintext'): PushAccount {
  return {
    appId: app.appId,
    originalId: app.originalId,
    token: 'sandboxToken123',
    encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    mode,
    callbackUrl: url,
  };
}

describe('WeChat push simulator: delivery rules (§4.1)', () => {
  const clock = { t: Date.UTC(2025, 2, 3, 8, 0, 0) };
  let api: WechatApiSimulator;
  let app: SandboxApp;
  const servers: Array<{ close(): Promise<void> }> = [];
  const serve = async (answer: Parameters<typeof callbackServer>[0]) => {
    const s = await callbackServer(answer);
    servers.push(s);
    return s;
  };
  const push = (timeoutMs = 200) => new WechatPushSimulator(api, { now: () => clock.t, timeoutMs });

  beforeEach(() => {
    api = new WechatApiSimulator({ now: () => clock.t });
    app = api.addApp();
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it("uses WeChat's numbers: 5 s to answer, 4 deliveries at most", () => {
    expect(PUSH_TIMEOUT_MS).toBe(5000);
    expect(MAX_DELIVERIES).toBe(4);
  });

  it('a callback URL that does not answer in time gets the same push 4 times, then WeChat gives up', async () => {
    const cb = await serve(() => 'hold');
    const openid = api.addUser(app.appId);
    const record = await push(150).sendMessage(target(app, cb.url), openid, { type: 'text', text: '在吗？' });
    cb.release();

    expect(record.delivered).toBe(false);
    expect(record.attempts.map((a) => [a.attempt, a.outcome, a.status])).toEqual([
      [1, 'timeout', null],
      [2, 'timeout', null],
      [3, 'timeout', null],
      [4, 'timeout', null],
    ]);
    expect(cb.received).toHaveLength(4);
    const bodies = new Set(cb.received.map((r) => r.body));
    expect(bodies.size).toBe(1);
    const msgIds = cb.received.map((r) => parseWechatXml(r.body).MsgId);
    expect(new Set(msgIds)).toEqual(new Set([record.msgId]));
    expect(record.msgId).toMatch(/^\d{19}$/);
  });

  it('a 500 is a failure: 4 deliveries, then it gives up; a 500 followed by success stops there', async () => {
    const failing = await serve(() => ({ status: 500, body: 'oops' }));
    const openid = api.addUser(app.appId);
    const r1 = await push().sendMessage(target(app, failing.url), openid, { type: 'text', text: 'hello' });
    expect(r1.delivered).toBe(false);
    expect(r1.attempts.map((a) => [a.outcome, a.status, a.body])).toEqual(
      Array.from({ length: 4 }, () => ['http_status', 500, 'oops']),
    );
    expect(failing.received).toHaveLength(4);

    const flaky = await serve((n) => (n <= 2 ? { status: 502, body: '' } : { status: 200, body: 'success' }));
    const r2 = await push().sendMessage(target(app, flaky.url), openid, { type: 'text', text: 'again' });
    expect(r2.delivered).toBe(true);
    expect(r2.attempts.map((a) => a.outcome)).toEqual(['http_status', 'http_status', 'accepted']);
    expect(flaky.received).toHaveLength(3);
  });

  it('a JSON answer counts as a failure even with HTTP 200', async () => {
    const cb = await serve(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    const record = await push().sendMessage(target(app, cb.url), api.addUser(app.appId), { type: 'text', text: 'x' });
    expect(record.delivered).toBe(false);
    expect(record.attempts).toHaveLength(4);
    expect(record.attempts.every((a) => a.outcome === 'invalid_reply' && a.status === 200)).toBe(true);
    expect(cb.received).toHaveLength(4);
  });

  it.each([
    ['success', 'success'],
    ['an empty body', ''],
    ['a passive XML reply', '<xml><ToUserName><![CDATA[o1]]></ToUserName><MsgType><![CDATA[text]]></MsgType></xml>'],
  ])('%s is accepted at the first delivery', async (_name, body) => {
    const cb = await serve(() => ({ status: 200, body }));
    const record = await push().sendMessage(target(app, cb.url), api.addUser(app.appId), { type: 'text', text: 'x' });
    expect(record.delivered).toBe(true);
    expect(record.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'accepted', status: 200, body, at: clock.t }),
    ]);
    expect(cb.received).toHaveLength(1);
  });

  it('classifies answers like WeChat: only 200 with success / empty / XML counts', () => {
    expect(classifyAnswer({ kind: 'response', status: 200, body: 'success' })).toBe('accepted');
    expect(classifyAnswer({ kind: 'response', status: 200, body: '' })).toBe('accepted');
    expect(classifyAnswer({ kind: 'response', status: 200, body: 'ok' })).toBe('invalid_reply');
    expect(classifyAnswer({ kind: 'response', status: 200, body: '<html>hi</html>' })).toBe('invalid_reply');
    expect(classifyAnswer({ kind: 'response', status: 204, body: '' })).toBe('http_status');
    expect(classifyAnswer({ kind: 'response', status: 503, body: 'success' })).toBe('http_status');
    expect(classifyAnswer({ kind: 'timeout' })).toBe('timeout');
    expect(classifyAnswer({ kind: 'error', message: 'ECONNREFUSED' })).toBe('network_error');
  });

  it('a closed port is a network error, retried like any failure', async () => {
    const gone = await serve(() => ({ status: 200, body: 'success' }));
    const url = gone.url;
    await servers.pop()?.close();
    const record = await push().sendMessage(target(app, url), api.addUser(app.appId), { type: 'text', text: 'x' });
    expect(record.attempts.map((a) => a.outcome)).toEqual(Array(4).fill('network_error'));
  });

  it('records every attempt and exposes the pushes per app and customer', async () => {
    const cb = await serve((n) => (n === 1 ? { status: 500, body: 'x' } : { status: 200, body: 'success' }));
    const p = push();
    const a = api.addUser(app.appId);
    const b = api.addUser(app.appId);
    await p.sendMessage(target(app, cb.url), a, { type: 'text', text: 'one' });
    await p.sendEvent(target(app, cb.url), b, { event: 'CLICK', key: 'MENU_1' });
    expect(p.pushes({ appId: app.appId }).map((r) => r.openid)).toEqual([a, b]);
    expect(p.pushes({ openid: a })[0]?.attempts.map((x) => x.outcome)).toEqual(['http_status', 'accepted']);
    expect(p.pushes({ openid: b })[0]).toMatchObject({ msgType: 'event', event: 'CLICK', delivered: true });
  });
});

describe('WeChat push simulator: what is pushed (§1, §2, §3) and the window it opens (§6.3)', () => {
  const clock = { t: Date.UTC(2025, 2, 3, 8, 0, 0) };
  let api: WechatApiSimulator;
  let app: SandboxApp;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  const push = () =>
    new WechatPushSimulator(api, { now: () => clock.t, mediaBaseUrl: () => 'http://127.0.0.1:1/sandbox/wechat' });

  beforeEach(async () => {
    api = new WechatApiSimulator({ now: () => clock.t });
    app = api.addApp();
    cb = await callbackServer(() => ({ status: 200, body: 'success' }));
  });
  afterEach(async () => {
    await cb.close();
  });

  /** The XML the account receives, after checking the signatures and (in aes modes) decrypting independently. */
  function opened(r: Received, t: PushAccount): WechatXmlObject {
    const q = r.query;
    expect(q.get('signature')).toBe(sha1(t.token, q.get('timestamp') ?? '', q.get('nonce') ?? ''));
    if (t.mode === 'plaintext') {
      expect(q.get('encrypt_type')).toBeNull();
      return parseWechatXml(r.body);
    }
    expect(q.get('encrypt_type')).toBe('aes');
    const outer = parseWechatXml(r.body);
    const enc = String(outer.Encrypt);
    expect(q.get('msg_signature')).toBe(sha1(t.token, q.get('timestamp') ?? '', q.get('nonce') ?? '', enc));
    const { message, id } = wecom.decrypt(t.encodingAesKey ?? '', enc);
    expect(id).toBe(t.appId);
    if (t.mode === 'safe') expect(Object.keys(outer).sort()).toEqual(['Encrypt', 'ToUserName']);
    else expect(outer.MsgType).toBeDefined(); // compatible: plain fields next to <Encrypt>
    return parseWechatXml(message);
  }

  it.each(['plaintext', 'compatible', 'safe'] as const)('signs (and encrypts) in %s mode', async (mode) => {
    const t = target(app, cb.url, mode);
    const openid = api.addUser(app.appId);
    await push().sendMessage(t, openid, { type: 'text', text: '你好 <b>&amp; "quotes"' });
    const x = opened(cb.received[0]!, t);
    expect(x).toMatchObject({
      ToUserName: app.originalId,
      FromUserName: openid,
      CreateTime: String(Math.floor(clock.t / 1000)),
      MsgType: 'text',
      Content: '你好 <b>&amp; "quotes"',
    });
    expect(cb.received[0]!.query.get('timestamp')).toBe(String(Math.floor(clock.t / 1000)));
  });

  it('an image carries PicUrl and a MediaId that media/get serves as a PNG', async () => {
    const openid = api.addUser(app.appId);
    await push().sendMessage(target(app, cb.url), openid, { type: 'image' });
    const x = parseWechatXml(cb.received[0]!.body);
    expect(x.MsgType).toBe('image');
    const mediaId = String(x.MediaId);
    expect(String(x.PicUrl)).toBe(`http://127.0.0.1:1/sandbox/wechat/sandbox-media/${encodeURIComponent(mediaId)}`);
    const token = await api.handle({
      method: 'POST',
      path: '/cgi-bin/stable_token',
      query: new URLSearchParams(),
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify({ grant_type: 'client_credential', appid: app.appId, secret: app.secret })),
    });
    const accessToken = token.kind === 'json' ? String(token.body.access_token) : '';
    const media = await api.handle({
      method: 'GET',
      path: '/cgi-bin/media/get',
      query: new URLSearchParams({ access_token: accessToken, media_id: mediaId }),
    });
    expect(media.kind).toBe('bytes');
    if (media.kind !== 'bytes') return;
    expect(media.headers['content-type']).toBe('image/png');
    expect(media.data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('voice, video, location and link carry their fields', async () => {
    const openid = api.addUser(app.appId);
    const p = push();
    const t = target(app, cb.url);
    await p.sendMessage(t, openid, { type: 'voice', recognition: '你好' });
    await p.sendMessage(t, openid, { type: 'video' });
    await p.sendMessage(t, openid, { type: 'location', latitude: 23.134521, longitude: 113.358803, label: '广州' });
    await p.sendMessage(t, openid, { type: 'link', title: 'T', description: 'D', url: 'https://example.com/a' });
    const [voice, video, location, link] = cb.received.map((r) => parseWechatXml(r.body));
    expect(voice).toMatchObject({ MsgType: 'voice', Format: 'amr', Recognition: '你好', MediaId: expect.any(String) });
    expect(api.media(String(voice?.MediaId))?.data.subarray(0, 6).toString()).toBe('#!AMR\n');
    expect(video).toMatchObject({ MsgType: 'video', MediaId: expect.any(String), ThumbMediaId: expect.any(String) });
    expect(location).toMatchObject({
      MsgType: 'location',
      Location_X: '23.134521',
      Location_Y: '113.358803',
      Scale: '15',
      Label: '广州',
    });
    expect(link).toMatchObject({ MsgType: 'link', Title: 'T', Description: 'D', Url: 'https://example.com/a' });
    const ids = [voice, video, location, link].map((x) => String(x?.MsgId));
    expect(new Set(ids).size).toBe(4);
  });

  it('events carry their fields; none has a MsgId', async () => {
    const openid = api.addUser(app.appId, { subscribed: false });
    const p = push();
    const t = target(app, cb.url);
    await p.sendEvent(t, openid, { event: 'subscribe', scene: '123123' });
    await p.sendEvent(t, openid, { event: 'SCAN', scene: '42' });
    await p.sendEvent(t, openid, { event: 'CLICK', key: 'V1001_TODAY' });
    await p.sendEvent(t, openid, { event: 'VIEW', url: 'https://example.com/menu' });
    await p.sendEvent(t, openid, { event: 'LOCATION', latitude: 23.137466, longitude: 113.352425, precision: 119.385 });
    await p.sendEvent(t, openid, { event: 'unsubscribe' });
    const x = cb.received.map((r) => parseWechatXml(r.body));
    expect(x.map((e) => e.Event)).toEqual(['subscribe', 'SCAN', 'CLICK', 'VIEW', 'LOCATION', 'unsubscribe']);
    expect(x.every((e) => e.MsgType === 'event' && e.MsgId === undefined)).toBe(true);
    expect(x[0]).toMatchObject({ EventKey: 'qrscene_123123', Ticket: expect.any(String) });
    expect(x[1]).toMatchObject({ EventKey: '42', Ticket: expect.any(String) });
    expect(x[2]).toMatchObject({ EventKey: 'V1001_TODAY' });
    expect(x[3]).toMatchObject({ EventKey: 'https://example.com/menu' });
    expect(x[4]).toMatchObject({ Latitude: '23.137466', Longitude: '113.352425', Precision: '119.385000' });
    expect(x[5]?.EventKey).toBeUndefined();
  });

  it('a subscribe without a QR scene has no EventKey', async () => {
    await push().sendEvent(target(app, cb.url), 'oNewFollower', { event: 'subscribe' });
    const x = parseWechatXml(cb.received[0]!.body);
    expect(x.Event).toBe('subscribe');
    expect(x.EventKey).toBeUndefined();
    expect(api.user(app.appId, 'oNewFollower')?.subscribed).toBe(true);
  });

  it('a message opens 5 sends for 48 h once, however many deliveries it took', async () => {
    await cb.close();
    cb = await callbackServer(() => ({ status: 500, body: '' }));
    const openid = api.addUser(app.appId);
    const spy = jest.spyOn(api, 'userMessage');
    const record = await push().sendMessage(target(app, cb.url), openid, { type: 'text', text: 'x' });
    expect(record.attempts).toHaveLength(4);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(api.window(app.appId, openid)).toEqual({ remaining: 5, expiresAt: clock.t + 48 * 3600_000 });
  });

  it('follow, scan and menu click open 3 sends for 1 minute; VIEW and LOCATION open none', async () => {
    const p = push();
    const t = target(app, cb.url);
    const viewer = api.addUser(app.appId);
    await p.sendEvent(t, viewer, { event: 'VIEW', url: 'https://example.com' });
    await p.sendEvent(t, viewer, { event: 'LOCATION', latitude: 1, longitude: 2 });
    expect(api.window(app.appId, viewer)).toBeUndefined();
    for (const event of [
      { event: 'subscribe' as const },
      { event: 'SCAN' as const, scene: '1' },
      { event: 'CLICK' as const, key: 'K' },
    ]) {
      const openid = api.addUser(app.appId, { subscribed: event.event !== 'subscribe' });
      await p.sendEvent(t, openid, event);
      expect(api.window(app.appId, openid)).toEqual({ remaining: 3, expiresAt: clock.t + 60_000 });
    }
  });

  it('unsubscribe closes the window and marks the user unfollowed; they cannot write until they follow again', async () => {
    const p = push();
    const t = target(app, cb.url);
    const openid = api.addUser(app.appId);
    await p.sendMessage(t, openid, { type: 'text', text: 'bye' });
    await p.sendEvent(t, openid, { event: 'unsubscribe' });
    expect(api.user(app.appId, openid)?.subscribed).toBe(false);
    expect(api.window(app.appId, openid)).toBeUndefined();
    await expect(p.sendMessage(t, openid, { type: 'text', text: 'hi' })).rejects.toBeInstanceOf(SandboxPushError);
    await expect(p.sendEvent(t, openid, { event: 'CLICK', key: 'K' })).rejects.toMatchObject({
      reason: 'not_following',
    });
    expect(cb.received).toHaveLength(2);
    await p.sendEvent(t, openid, { event: 'subscribe' });
    await p.sendMessage(t, openid, { type: 'text', text: 'back' });
    expect(cb.received).toHaveLength(4);
  });
});

describe('safe-mode pushes at the real inbox (real PostgreSQL, real HTTP)', () => {
  let t: TestApp;
  let account: MadeAccount;
  let api: WechatApiSimulator;

  beforeAll(async () => {
    t = await startTestApp();
    account = await newAccount(t.app, 'safe');
    api = new WechatApiSimulator();
    api.addApp({ appId: account.appId, secret: account.appSecret, originalId: account.originalId });
  });
  afterAll(async () => {
    await t.close();
  });

  it('decrypt at the inbox and land once although the first two answers came too late', async () => {
    // A proxy in front of the inbox: every delivery reaches the inbox at once, but the first two answers are
    // held past WeChat's deadline, so WeChat delivers the same push again.
    const forwarded: Array<Promise<unknown>> = [];
    const proxy = await callbackServer((n, req) => {
      const done = fetch(`${t.url}/webhooks/wechat/${account.id}?${req.query.toString()}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: req.body,
      }).then(async (res) => ({ status: res.status, body: await res.text() }));
      forwarded.push(done);
      return n <= 2 ? done.then(() => 'hold' as const) : done;
    });
    try {
      const push = new WechatPushSimulator(api, { timeoutMs: 400 });
      const openid = api.addUser(account.appId);
      const text = '安全模式：我的订单 #1234 到哪了？';
      const record = await push.sendMessage({ ...account, callbackUrl: proxy.url }, openid, { type: 'text', text });
      await Promise.all(forwarded);
      proxy.release();

      expect(record.attempts.map((a) => a.outcome)).toEqual(['timeout', 'timeout', 'accepted']);
      expect(record.attempts[2]?.body).toBe('success');
      expect(proxy.received).toHaveLength(3);
      expect(new Set(proxy.received.map((r) => r.body)).size).toBe(1);
      expect(proxy.received[0]?.body).not.toContain(text); // encrypted on the wire
      const rows: { text: string; external_id: string; type: string }[] = await t.ds.query(
        `SELECT m.text, m.external_id, m.type FROM messages m JOIN contacts c ON c.id = (
           SELECT contact_id FROM conversations WHERE id = m.conversation_id)
          WHERE m.account_id = $1 AND c.external_id = $2`,
        [account.id, openid],
      );
      expect(rows).toEqual([{ text, external_id: `msg:${record.msgId}`, type: 'text' }]);
    } finally {
      await proxy.close();
    }
  });
});

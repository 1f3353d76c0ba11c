import { createCipheriv, randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../../../test/app';
import { AccountsService } from '../../accounts/accounts.service';
import { newAccount, type MadeAccount } from '../../../test/factories/account.factory';
import { decodeAesKey, sha1Signature } from './wechat-crypto';
import { buildPush, pushUrl } from './wechat-push.builder';

interface MessageRow {
  type: string;
  text: string | null;
  payload: Record<string, unknown>;
  external_id: string;
  raw: string;
  direction: string;
}

describe('WeChat callback endpoint (real PostgreSQL, real HTTP)', () => {
  let t: TestApp;
  let safe: MadeAccount;
  let plain: MadeAccount;
  let compat: MadeAccount;
  let seq = 0;
  const now = Math.floor(Date.now() / 1000);
  const nextMsgId = () => `${6054768590064713728n + BigInt(++seq)}`;

  beforeAll(async () => {
    t = await startTestApp();
    safe = await newAccount(t.app, 'safe');
    plain = await newAccount(t.app, 'plaintext');
    compat = await newAccount(t.app, 'compatible');
  });
  afterAll(async () => {
    await t.close();
  });

  const post = async (
    account: MadeAccount,
    fields: Record<string, string | number>,
    tweak?: (p: { query: Record<string, string>; body: string }) => void,
  ) => {
    const p = buildPush(account, fields);
    tweak?.(p);
    const res = await fetch(pushUrl(t.url, account.id, p.query), {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: p.body,
    });
    return { status: res.status, text: await res.text() };
  };
  const rows = (account: MadeAccount, externalId?: string): Promise<MessageRow[]> =>
    t.ds.query(
      `SELECT type, text, payload, external_id, raw, direction FROM messages WHERE account_id = $1 ${externalId ? 'AND external_id = $2' : ''} ORDER BY id`,
      externalId ? [account.id, externalId] : [account.id],
    );
  const count = async (): Promise<number> =>
    Number(((await t.ds.query('SELECT count(*) AS n FROM messages')) as { n: string }[])[0]?.n);

  it('verifies the callback URL: echoes echostr on a good signature, 401 otherwise', async () => {
    const ts = '1714036504';
    const nonce = '1514711492';
    const good = new URLSearchParams({
      signature: sha1Signature(safe.token, ts, nonce),
      timestamp: ts,
      nonce,
      echostr: '4375120948345356249',
    });
    const res = await fetch(`${t.url}/webhooks/wechat/${safe.id}?${good}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('4375120948345356249');
    const verified: { callback_verified_at: Date | null }[] = await t.ds.query(
      'SELECT callback_verified_at FROM channel_accounts WHERE id = $1',
      [safe.id],
    );
    expect(verified[0]?.callback_verified_at).toBeInstanceOf(Date);
    good.set('signature', 'f464b24fc39322e44b38aa78f5edd27bd1441696');
    const bad = await fetch(`${t.url}/webhooks/wechat/${safe.id}?${good}`);
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 'wechat/bad_signature' });
  });

  it.each(['safe', 'plaintext', 'compatible'] as const)(
    'stores a %s-mode text message byte-exact and answers success',
    async (mode) => {
      const account = mode === 'safe' ? safe : mode === 'plaintext' ? plain : compat;
      const msgId = nextMsgId();
      const content = '  你好 <b>&amp; 00123 ]]> end  ';
      const r = await post(account, {
        FromUserName: 'oUser1',
        CreateTime: now,
        MsgType: 'text',
        Content: content,
        MsgId: msgId,
      });
      expect(r).toEqual({ status: 200, text: 'success' });
      const [m] = await rows(account, `msg:${msgId}`);
      expect(m).toMatchObject({
        type: 'text',
        text: content,
        direction: 'in',
        payload: { MsgType: 'text', Content: content, MsgId: msgId },
      });
      expect(m?.raw).toContain(msgId);
    },
  );

  it('stores a message delivered 4 times (2 of them concurrently) exactly once, answering success each time', async () => {
    const fields = { FromUserName: 'oDup', CreateTime: now, MsgType: 'text', Content: 'once', MsgId: nextMsgId() };
    const before = await count();
    const first = await post(safe, fields);
    const concurrent = await Promise.all([post(safe, fields), post(safe, fields)]);
    const last = await post(safe, fields);
    for (const r of [first, ...concurrent, last]) expect(r).toEqual({ status: 200, text: 'success' });
    expect(await count()).toBe(before + 1);
    const convs: unknown[] = await t.ds.query(
      `SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.external_id = 'oDup'`,
    );
    expect(convs).toHaveLength(1);
  });

  it('stores one conversation per customer even when the first messages arrive concurrently', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post(safe, {
          FromUserName: 'oBurst',
          CreateTime: now + i,
          MsgType: 'text',
          Content: `m${i}`,
          MsgId: nextMsgId(),
        }),
      ),
    );
    const convs: { n: string }[] = await t.ds.query(
      `SELECT count(*) AS n FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.external_id = 'oBurst'`,
    );
    expect(convs[0]?.n).toBe('1');
    const msgs: { n: string }[] = await t.ds.query(
      `SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN contacts k ON k.id = c.contact_id WHERE k.external_id = 'oBurst'`,
    );
    expect(msgs[0]?.n).toBe('8');
  });

  it.each([
    [
      'image',
      { MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/x.jpg', MediaId: 'media-img' },
      { PicUrl: 'http://mmbiz.qpic.cn/x.jpg', MediaId: 'media-img' },
    ],
    [
      'voice',
      { MsgType: 'voice', MediaId: 'media-voice', Format: 'amr', Recognition: '' },
      { MediaId: 'media-voice', Format: 'amr' },
    ],
    [
      'video',
      { MsgType: 'video', MediaId: 'media-video', ThumbMediaId: 'thumb-1' },
      { MediaId: 'media-video', ThumbMediaId: 'thumb-1' },
    ],
    [
      'shortvideo',
      { MsgType: 'shortvideo', MediaId: 'media-sv', ThumbMediaId: 'thumb-2' },
      { MediaId: 'media-sv', ThumbMediaId: 'thumb-2' },
    ],
    [
      'location',
      { MsgType: 'location', Location_X: '23.134521', Location_Y: '113.358803', Scale: '20', Label: '广州' },
      { Location_X: '23.134521', Location_Y: '113.358803', Scale: '20', Label: '广州' },
    ],
    [
      'link',
      { MsgType: 'link', Title: 'A title', Description: 'desc', Url: 'https://example.com/a' },
      { Title: 'A title', Url: 'https://example.com/a' },
    ],
  ])('maps a %s message with its fields', async (type, fields, expected) => {
    const msgId = nextMsgId();
    const r = await post(safe, { FromUserName: 'oTypes', CreateTime: now, MsgId: msgId, ...fields });
    expect(r.status).toBe(200);
    const [m] = await rows(safe, `msg:${msgId}`);
    expect(m?.type).toBe(type);
    expect(m?.payload).toMatchObject(expected);
  });

  it.each([
    [
      'subscribe with a QR scene',
      { Event: 'subscribe', EventKey: 'qrscene_123123', Ticket: 'T' },
      { event: 'subscribe', scene: '123123' },
    ],
    ['unsubscribe', { Event: 'unsubscribe' }, { event: 'unsubscribe' }],
    ['SCAN', { Event: 'SCAN', EventKey: '42', Ticket: 'T' }, { event: 'SCAN', scene: '42' }],
    ['CLICK', { Event: 'CLICK', EventKey: 'MENU_HELP' }, { event: 'CLICK', EventKey: 'MENU_HELP' }],
    [
      'VIEW',
      { Event: 'VIEW', EventKey: 'https://example.com', MenuId: '1' },
      { event: 'VIEW', EventKey: 'https://example.com' },
    ],
    [
      'LOCATION',
      { Event: 'LOCATION', Latitude: '23.1', Longitude: '113.3', Precision: '119.3' },
      { event: 'LOCATION', Latitude: '23.1' },
    ],
    ['scancode_push', { Event: 'scancode_push', EventKey: 'k' }, { event: 'scancode_push' }],
    ['pic_weixin', { Event: 'pic_weixin', EventKey: 'k' }, { event: 'pic_weixin' }],
    ['location_select', { Event: 'location_select', EventKey: 'k' }, { event: 'location_select' }],
  ])('stores the %s event', async (_name, fields, expected) => {
    const ct = now + ++seq;
    const r = await post(safe, { FromUserName: 'oEvents', CreateTime: ct, MsgType: 'event', ...fields });
    expect(r).toEqual({ status: 200, text: 'success' });
    const [m] = await rows(safe, `event:oEvents:${ct}:${fields.Event}:${'EventKey' in fields ? fields.EventKey : ''}`);
    expect(m?.type).toBe('event');
    expect(m?.payload).toMatchObject(expected);
  });

  it('keeps two different events of one customer in the same second apart', async () => {
    const ct = now + 5000;
    await post(safe, { FromUserName: 'oSame', CreateTime: ct, MsgType: 'event', Event: 'subscribe', EventKey: '' });
    await post(safe, {
      FromUserName: 'oSame',
      CreateTime: ct,
      MsgType: 'event',
      Event: 'LOCATION',
      Latitude: '1',
      Longitude: '2',
      Precision: '3',
    });
    await post(safe, { FromUserName: 'oSame', CreateTime: ct, MsgType: 'event', Event: 'subscribe', EventKey: '' });
    expect((await rows(safe)).filter((m) => m.external_id.startsWith(`event:oSame:${ct}`))).toHaveLength(2);
  });

  it('stores an unknown type raw and acknowledges it', async () => {
    const msgId = nextMsgId();
    const r = await post(safe, {
      FromUserName: 'oNew',
      CreateTime: now,
      MsgType: 'miniprogrampage',
      Title: 't',
      MsgId: msgId,
    });
    expect(r).toEqual({ status: 200, text: 'success' });
    const [m] = await rows(safe, `msg:${msgId}`);
    expect(m).toMatchObject({ type: 'unknown', payload: { originalType: 'miniprogrampage' } });
    expect(m?.raw).toContain('miniprogrampage');
  });

  it('opens the 48 h / 5-send window on a message and the 1 min / 3-send window on a follow, not on VIEW', async () => {
    const win = async (openid: string) =>
      (
        (await t.ds.query(
          `SELECT extract(epoch FROM c.window_closes_at)::bigint AS closes, c.sends_left FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.external_id = $1 AND k.account_id = $2`,
          [openid, plain.id],
        )) as { closes: string | null; sends_left: number }[]
      )[0];
    await post(plain, {
      FromUserName: 'oView',
      CreateTime: now,
      MsgType: 'event',
      Event: 'VIEW',
      EventKey: 'https://x',
    });
    expect(await win('oView')).toEqual({ closes: null, sends_left: 0 });
    await post(plain, {
      FromUserName: 'oView',
      CreateTime: now + 1,
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: '',
    });
    expect(await win('oView')).toEqual({ closes: String(now + 1 + 60), sends_left: 3 });
    await post(plain, {
      FromUserName: 'oView',
      CreateTime: now + 2,
      MsgType: 'text',
      Content: 'hi',
      MsgId: nextMsgId(),
    });
    expect(await win('oView')).toEqual({ closes: String(now + 2 + 48 * 3600), sends_left: 5 });
    // An older message delivered late does not shorten the window.
    await post(plain, {
      FromUserName: 'oView',
      CreateTime: now - 100,
      MsgType: 'text',
      Content: 'late',
      MsgId: nextMsgId(),
    });
    expect(await win('oView')).toEqual({ closes: String(now + 2 + 48 * 3600), sends_left: 5 });
  });

  describe('refuses bad input with a 4xx and a reason, storing nothing', () => {
    const refuse = async (
      account: MadeAccount,
      status: number,
      code: string,
      tweak: (p: { query: Record<string, string>; body: string }) => void,
    ) => {
      const before = await count();
      const r = await post(
        account,
        { FromUserName: 'oBad', CreateTime: now, MsgType: 'text', Content: 'x', MsgId: nextMsgId() },
        tweak,
      );
      expect(r.status).toBe(status);
      expect(JSON.parse(r.text)).toMatchObject({ statusCode: status, code });
      expect(await count()).toBe(before);
    };

    it('a missing or wrong signature', async () => {
      await refuse(plain, 401, 'wechat/bad_signature', (p) => delete p.query.signature);
      await refuse(plain, 401, 'wechat/bad_signature', (p) => (p.query.signature = 'a'.repeat(40)));
      await refuse(safe, 401, 'wechat/bad_signature', (p) => (p.query.nonce = '1'));
    });
    it('a wrong msg_signature (checked before decrypting)', async () => {
      await refuse(safe, 401, 'wechat/bad_signature', (p) => (p.query.msg_signature = 'b'.repeat(40)));
    });
    it('a plaintext push to a safe-mode account', async () => {
      await refuse(safe, 401, 'wechat/bad_signature', (p) => {
        delete p.query.encrypt_type;
        p.body = buildPush(
          { ...safe, mode: 'plaintext' },
          { FromUserName: 'oBad', CreateTime: now, MsgType: 'text', Content: 'x', MsgId: '1' },
        ).body;
      });
    });
    it('a DOCTYPE or ENTITY declaration (XXE / billion laughs)', async () => {
      const bomb =
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><Content>&lol2;</Content></xml>';
      await refuse(plain, 400, 'wechat/doctype_forbidden', (p) => (p.body = bomb));
    });
    it('malformed XML and a push without the required fields', async () => {
      await refuse(plain, 400, 'wechat/malformed_xml', (p) => (p.body = '<xml><ToUserName>gh</ToUserName'));
      await refuse(plain, 400, 'wechat/malformed_xml', (p) => (p.body = '<xml><MsgType>text</MsgType></xml>'));
    });
    it('an oversize body', async () => {
      await refuse(
        plain,
        413,
        'wechat/body_too_large',
        (p) => (p.body = `<xml><Content>${'x'.repeat(300 * 1024)}</Content></xml>`),
      );
    });
    it('a message encrypted for another AppID', async () => {
      await refuse(safe, 400, 'wechat/appid_mismatch', (p) => {
        const other = buildPush(
          { ...safe, appId: 'wx0000000000000000' },
          { FromUserName: 'oBad', CreateTime: now, MsgType: 'text', Content: 'x', MsgId: '2' },
          { timestamp: Number(p.query.timestamp), nonce: p.query.nonce },
        );
        Object.assign(p.query, other.query);
        p.body = other.body;
      });
    });
    it('invalid padding', async () => {
      await refuse(safe, 400, 'wechat/bad_padding', (p) => {
        const key = decodeAesKey(safe.encodingAesKey ?? '');
        const plainBuf = Buffer.concat([
          randomBytes(16),
          Buffer.alloc(4),
          Buffer.from(safe.appId),
          Buffer.alloc(32 - ((20 + safe.appId.length) % 32), 0),
        ]);
        const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
        c.setAutoPadding(false);
        const enc = Buffer.concat([c.update(plainBuf), c.final()]).toString('base64');
        p.body = `<xml><ToUserName><![CDATA[${safe.originalId}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`;
        p.query.msg_signature = sha1Signature(safe.token, p.query.timestamp ?? '', p.query.nonce ?? '', enc);
      });
    });
    it('an unknown account id and a disabled account', async () => {
      const p = buildPush(plain, { FromUserName: 'o', CreateTime: now, MsgType: 'text', Content: 'x', MsgId: '3' });
      for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
        const r = await fetch(pushUrl(t.url, id, p.query), { method: 'POST', body: p.body });
        expect(r.status).toBe(404);
        expect(await r.json()).toMatchObject({ code: 'wechat/unknown_account' });
      }
      const off = await newAccount(t.app, 'plaintext');
      await t.ds.query(`UPDATE channel_accounts SET status = 'disabled' WHERE id = $1`, [off.id]);
      const q = buildPush(off, { FromUserName: 'o', CreateTime: now, MsgType: 'text', Content: 'x', MsgId: '4' });
      const r = await fetch(pushUrl(t.url, off.id, q.query), { method: 'POST', body: q.body });
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({ code: 'wechat/account_disabled' });
    });
  });

  it('accepts pushes encrypted with the previous EncodingAESKey after a rotation', async () => {
    const acc = await newAccount(t.app, 'safe');
    await t.app.get(AccountsService).update(acc.id, { encodingAesKey: 'C'.repeat(43) });
    const msgOld = nextMsgId();
    expect(
      await post(acc, { FromUserName: 'oRot', CreateTime: now, MsgType: 'text', Content: 'old key', MsgId: msgOld }),
    ).toEqual({ status: 200, text: 'success' });
    const msgNew = nextMsgId();
    expect(
      await post(
        { ...acc, encodingAesKey: 'C'.repeat(43) },
        { FromUserName: 'oRot', CreateTime: now, MsgType: 'text', Content: 'new key', MsgId: msgNew },
      ),
    ).toEqual({ status: 200, text: 'success' });
    expect((await rows(acc)).map((m) => m.text)).toEqual(['old key', 'new key']);
  });

  it('answers 503 when the database cannot store the push, so WeChat retries, and stores it on the retry', async () => {
    const fields = {
      FromUserName: 'oRetry',
      CreateTime: now,
      MsgType: 'text',
      Content: 'retry me',
      MsgId: nextMsgId(),
    };
    await t.ds.query('ALTER TABLE messages RENAME TO messages_away');
    let r;
    try {
      r = await post(plain, fields);
    } finally {
      await t.ds.query('ALTER TABLE messages_away RENAME TO messages');
    }
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toMatchObject({ code: 'db/unavailable' });
    expect(await rows(plain, `msg:${fields.MsgId}`)).toHaveLength(0);
    expect(await post(plain, fields)).toEqual({ status: 200, text: 'success' });
    expect(await rows(plain, `msg:${fields.MsgId}`)).toHaveLength(1);
  });
});

import type { ApiErrorBody, Conversation, Message, Page, Upload } from '@inbox/shared';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser } from '../../test/factories/user.factory';
import { connectSocket } from '../../test/realtime';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';
import { DeliveryWorker } from '../outbound/delivery.worker';
import { DELIVERY_QUEUE, JobQueue } from '../outbound/job-queue';
import { startWechatApiServer, type RunningWechatApiServer } from '../sandbox/wechat-api.server';
import { WechatApiSimulator } from '../sandbox/wechat-api.simulator';

const MB = 1024 * 1024;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707', 'hex');
const GIF = Buffer.from('474946383961010001000000002c00000000010001000002024401003b', 'hex');

/** A multipart body with one file part. */
function form(data: Buffer, fileName: string, type = 'image/png', field = 'file'): FormData {
  const f = new FormData();
  f.append(field, new Blob([new Uint8Array(data)], { type }), fileName);
  return f;
}

/**
 * Image replies (real PostgreSQL, pg-boss, HTTP; the sandbox WeChat API simulator as WeChat): an agent uploads an
 * image to a conversation, it is checked by its bytes and kept for the account's members; sending it uploads it to
 * WeChat once and sends it as an image through the conversation's account.
 */
describe('uploads and image replies (real PostgreSQL, pg-boss, HTTP to the WeChat sandbox)', () => {
  let sim: WechatApiSimulator;
  let wechat: RunningWechatApiServer;
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  let agentA: HttpClient;
  let agentB: HttpClient;
  let admin: HttpClient;
  let seq = 0;

  const login = async (u: { email: string; password: string }) => {
    const c = new HttpClient(t.url);
    expect((await c.request('POST', '/api/auth/login', { email: u.email, password: u.password })).status).toBe(200);
    return c;
  };
  const customerSays = async (account: MadeAccount, openid: string) => {
    sim.userMessage(account.appId, openid);
    const p = buildPush(account, {
      FromUserName: openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: 'hello',
      MsgId: `${6100000000000000000n + BigInt(++seq)}`,
    });
    expect(await (await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
      'success',
    );
    const page = await admin.request<Page<Conversation>>('GET', `/api/conversations?accountId=${account.id}&limit=100`);
    return page.body.items.find((c) => c.contact.openid === openid && c.status !== 'resolved')!;
  };
  const upload = async (c: HttpClient, conversationId: string, body: FormData | string, type?: string) => {
    const res = await fetch(`${t.url}/api/conversations/${conversationId}/uploads`, {
      method: 'POST',
      headers: { cookie: c.cookie, ...(type ? { 'content-type': type } : {}) },
      body,
    });
    return { status: res.status, body: (await res.json()) as Upload & ApiErrorBody };
  };
  const sendImage = (c: HttpClient, conversationId: string, uploadId: string) =>
    c.request<Message & ApiErrorBody>('POST', `/api/conversations/${conversationId}/messages`, {
      type: 'image',
      uploadId,
      clientMessageId: `img-${++seq}-${Date.now()}`,
    });
  const uploadCalls = (appId: string) =>
    sim.calls.filter((x) => x.path === '/cgi-bin/media/upload' && x.appId === appId && x.errcode === 0).length;
  const uploadRows = async () => Number((await t.ds.query(`SELECT count(*) AS n FROM uploads`))[0].n);
  /** Waits (over the socket) until each message is sent or failed; answers them as the API shows them. */
  const finalStates = async (conversationId: string, ids: string[]) => {
    const s = await connectSocket(t.url, admin.cookie);
    try {
      const final = async () => {
        const page = await admin.request<Page<Message>>('GET', `/api/conversations/${conversationId}/messages`);
        const found = page.body.items.filter((m) => ids.includes(m.id));
        return found.length === ids.length && found.every((m) => m.status === 'sent' || m.status === 'failed')
          ? found
          : undefined;
      };
      for (;;) {
        const before = s.events.length; // before reading, so an update landing meanwhile is not missed
        const done = await final();
        if (done) return ids.map((id) => done.find((m) => m.id === id)!);
        await s.waitFor((log) => log.length > before, 20000);
      }
    } finally {
      s.socket.close();
    }
  };

  beforeAll(async () => {
    sim = new WechatApiSimulator();
    wechat = await startWechatApiServer(sim, { port: 0 });
    t = await startTestApp({ WECHAT_API_BASE: wechat.url });
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'plaintext');
    sim.addApp({ appId: a.appId, secret: a.appSecret, originalId: a.originalId });
    sim.addApp({ appId: b.appId, secret: b.appSecret, originalId: b.originalId });
    const userA = await newUser(t.ds, { role: 'agent' });
    const userB = await newUser(t.ds, { role: 'agent' });
    await t.app.get(AccountsService).setMembers(a.id, [userA.id]);
    await t.app.get(AccountsService).setMembers(b.id, [userB.id]);
    agentA = await login(userA);
    agentB = await login(userB);
    admin = await login(await newUser(t.ds, { role: 'admin' }));
  });
  afterAll(async () => {
    await t.close();
    await wechat.close();
  });

  it('stores an image by its bytes and serves it only to members of its account', async () => {
    const c = await customerSays(a, 'oUpload');
    const r = await upload(agentA, c.id, form(PNG, 'C:\\photos\\cat.png'));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      accountId: a.id,
      kind: 'image',
      fileName: 'cat.png',
      contentType: 'image/png',
      size: PNG.length,
      url: `/api/uploads/${r.body.id}`,
    });
    expect(readFileSync(join(t.config.dataDir, 'uploads', a.id, r.body.id))).toEqual(PNG);

    const res = await fetch(`${t.url}/api/uploads/${r.body.id}`, { headers: { cookie: agentA.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toMatch(/^private/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    const outsider = await fetch(`${t.url}/api/uploads/${r.body.id}`, { headers: { cookie: agentB.cookie } });
    expect(outsider.status).toBe(404);
    expect(((await outsider.json()) as ApiErrorBody).code).toBe('uploads/not_found');
    expect((await fetch(`${t.url}/api/uploads/${r.body.id}`)).status).toBe(401);
    expect((await fetch(`${t.url}/api/uploads/not-an-id`, { headers: { cookie: agentA.cookie } })).status).toBe(404);

    // The bytes decide, not the name or the declared type: a JPEG called .txt is a JPEG; a GIF is a GIF.
    const jpeg = await upload(agentA, c.id, form(JPEG, 'scan.txt', 'text/plain'));
    expect(jpeg.status).toBe(201);
    expect(jpeg.body.contentType).toBe('image/jpeg');
    expect((await upload(agentA, c.id, form(GIF, 'anim.gif', 'image/gif'))).body.contentType).toBe('image/gif');
    // Exactly WeChat's limit is accepted.
    const max = Buffer.concat([PNG, Buffer.alloc(2 * MB - PNG.length)]);
    expect((await upload(agentA, c.id, form(max, 'max.png'))).status).toBe(201);
  });

  it('refuses what WeChat would refuse, bodies that are not one file, and callers who may not see the conversation', async () => {
    const c = await customerSays(a, 'oRefused');
    const rows = await uploadRows();
    const fakePng = await upload(agentA, c.id, form(Buffer.from('%PDF-1.7 definitely not a picture'), 'fake.png'));
    expect(fakePng.status).toBe(400);
    expect(fakePng.body.code).toBe('wechat/media_type');
    const webp = Buffer.from('524946461a000000574542505650384c0d0000002f0000001007101111888808', 'hex');
    const webpRes = await upload(agentA, c.id, form(webp, 'photo.png'));
    expect(webpRes.body).toMatchObject({ statusCode: 400, code: 'wechat/media_type' });
    expect(webpRes.body.message).toMatch(/WEBP/);

    const big = await upload(
      agentA,
      c.id,
      form(Buffer.concat([PNG, Buffer.alloc(2 * MB + 1 - PNG.length)]), 'big.png'),
    );
    expect(big.status).toBe(400);
    expect(big.body.code).toBe('wechat/media_too_large');

    const json = await agentA.request<ApiErrorBody>('POST', `/api/conversations/${c.id}/uploads`, { file: 'x' });
    expect(json.status).toBe(400);
    expect(json.body.code).toBe('validation/failed');
    expect(json.body.fields?.file?.[0]).toMatch(/multipart/);
    const noFile = new FormData();
    noFile.append('file', 'just text');
    expect((await upload(agentA, c.id, noFile)).body).toMatchObject({
      statusCode: 400,
      fields: { file: [expect.any(String)] },
    });
    const otherField = await upload(agentA, c.id, form(PNG, 'x.png', 'image/png', 'image'));
    expect(otherField.body).toMatchObject({ statusCode: 400, code: 'validation/failed' });
    expect(otherField.body.fields?.file?.[0]).toMatch(/"image"/);
    const empty = await upload(agentA, c.id, form(Buffer.alloc(0), 'empty.png'));
    expect(empty.body).toMatchObject({
      statusCode: 400,
      code: 'validation/failed',
      fields: { file: ['the file is empty'] },
    });
    const garbled = await upload(agentA, c.id, 'not really multipart', 'multipart/form-data; boundary=xyz');
    expect(garbled.body).toMatchObject({ statusCode: 400, code: 'validation/failed' });

    const outsider = await upload(agentB, c.id, form(PNG, 'x.png'));
    expect(outsider.status).toBe(404);
    expect(outsider.body.code).toBe('conversations/not_found');
    const unknown = await upload(agentA, '00000000-0000-4000-8000-000000000000', form(PNG, 'x.png'));
    expect(unknown.body.code).toBe('conversations/not_found');
    expect(await uploadRows()).toBe(rows);
  });

  it('sends an image through the right account, uploading it to WeChat once across a retry and a second send', async () => {
    const c = await customerSays(a, 'oImage');
    const up = (await upload(agentA, c.id, form(PNG, 'reply.png'))).body;
    // The first custom send fails transiently after the upload succeeded: the retry must not upload again.
    sim.setFault(a.appId, { errcode: -1, errmsg: 'system error', times: 1, paths: ['/cgi-bin/message/custom/send'] });
    const first = await sendImage(agentA, c.id, up.id);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      type: 'image',
      text: null,
      status: 'queued',
      payload: {
        uploadId: up.id,
        mediaUrl: `/api/uploads/${up.id}`,
        mediaContentType: 'image/png',
        mediaSize: PNG.length,
      },
    });
    const second = await sendImage(agentA, c.id, up.id);
    expect(second.status).toBe(201);
    const final = await finalStates(c.id, [first.body.id, second.body.id]);
    expect(final.map((m) => m.status)).toEqual(['sent', 'sent']);

    expect(uploadCalls(a.appId)).toBe(1);
    const [row] = (await t.ds.query(`SELECT wechat_media_id, wechat_media_expires_at FROM uploads WHERE id = $1`, [
      up.id,
    ])) as { wechat_media_id: string; wechat_media_expires_at: Date }[];
    expect(sim.media(row!.wechat_media_id)?.data).toEqual(PNG);
    expect(row!.wechat_media_expires_at.getTime()).toBeGreaterThan(Date.now() + 71 * 3600_000);
    expect(row!.wechat_media_expires_at.getTime()).toBeLessThanOrEqual(Date.now() + 72 * 3600_000);
    const sent = sim.sent.filter((x) => x.openid === 'oImage');
    expect(sent).toEqual([
      expect.objectContaining({
        appId: a.appId,
        body: { touser: 'oImage', msgtype: 'image', image: { media_id: row!.wechat_media_id } },
      }),
      expect.objectContaining({ appId: a.appId, body: sent[0]!.body }),
    ]);
  });

  it('uploads once for concurrent sends of a new image, and again only when the cached media_id runs out or WeChat forgot it', async () => {
    const c = await customerSays(b, 'oTwice');
    const up = (await upload(agentB, c.id, form(GIF, 'wave.gif', 'image/gif'))).body;
    // Both deliveries in one batch of the worker (run concurrently): the worker is paused while they are queued.
    await t.app.get(JobQueue).boss.offWork(DELIVERY_QUEUE);
    let m1, m2;
    try {
      [m1, m2] = await Promise.all([sendImage(agentB, c.id, up.id), sendImage(agentB, c.id, up.id)]);
    } finally {
      await t.app.get(DeliveryWorker).onApplicationBootstrap();
    }
    expect((await finalStates(c.id, [m1!.body.id, m2!.body.id])).map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(uploadCalls(b.appId)).toBe(1);

    // Less than the safety margin left: upload again rather than risk WeChat's expiry.
    await t.ds.query(`UPDATE uploads SET wechat_media_expires_at = now() + interval '10 minutes' WHERE id = $1`, [
      up.id,
    ]);
    const m3 = await sendImage(agentB, c.id, up.id);
    expect((await finalStates(c.id, [m3.body.id]))[0]?.status).toBe('sent');
    expect(uploadCalls(b.appId)).toBe(2);

    // WeChat no longer knows the cached media_id (40007): uploaded again once and sent.
    await t.ds.query(`UPDATE uploads SET wechat_media_id = 'purged-by-wechat' WHERE id = $1`, [up.id]);
    const m4 = await sendImage(agentB, c.id, up.id);
    expect((await finalStates(c.id, [m4.body.id]))[0]?.status).toBe('sent');
    expect(uploadCalls(b.appId)).toBe(3);
    expect(sim.sent.filter((x) => x.openid === 'oTwice')).toHaveLength(4);
  });

  it('holds no transaction or row lock while WeChat takes the upload, only a lease it gives back', async () => {
    const c = await customerSays(a, 'oSlowUpload');
    const up = (await upload(agentA, c.id, form(PNG, 'slow.png'))).body;
    const before = uploadCalls(a.appId);
    // WeChat's media/upload answers only when the test lets it.
    const handle = sim.handle.bind(sim);
    let arrived!: () => void;
    const inUpload = new Promise<void>((r) => (arrived = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const spy = jest.spyOn(sim, 'handle').mockImplementation(async (req) => {
      if (req.path === '/cgi-bin/media/upload') {
        arrived();
        await released;
      }
      return handle(req);
    });
    let m;
    try {
      m = await sendImage(agentA, c.id, up.id);
      await inUpload;
      // The upload row is neither locked nor part of an open transaction meanwhile: only the lease is on it.
      await t.ds.transaction(async (em) => {
        const [row] = (await em.query(
          `SELECT uploading_until > now() AS leased, wechat_media_id FROM uploads WHERE id = $1 FOR UPDATE NOWAIT`,
          [up.id],
        )) as { leased: boolean; wechat_media_id: string | null }[];
        expect(row).toEqual({ leased: true, wechat_media_id: null });
      });
      const [open] = (await t.ds.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND query ILIKE '%uploads%'`,
      )) as { n: number }[];
      expect(open?.n).toBe(0);
    } finally {
      release();
      spy.mockRestore();
    }
    expect((await finalStates(c.id, [m.body.id]))[0]?.status).toBe('sent');
    expect(uploadCalls(a.appId)).toBe(before + 1);
    const [row] = (await t.ds.query(`SELECT wechat_media_id, uploading_until FROM uploads WHERE id = $1`, [up.id])) as {
      wechat_media_id: string | null;
      uploading_until: Date | null;
    }[];
    expect(row?.wechat_media_id).toEqual(expect.any(String));
    expect(row?.uploading_until).toBeNull();
  });

  it("waits while another worker's lease on the upload runs, and takes over once it ran out", async () => {
    const c = await customerSays(b, 'oLeased');
    const up = (await upload(agentB, c.id, form(PNG, 'leased.png'))).body;
    const before = uploadCalls(b.appId);
    // Another instance is uploading the file (its lease runs for an hour).
    await t.ds.query(`UPDATE uploads SET uploading_until = now() + interval '1 hour' WHERE id = $1`, [up.id]);
    const s = await connectSocket(t.url, admin.cookie);
    let m;
    try {
      m = await sendImage(agentB, c.id, up.id);
      const id = m.body.id;
      // Tried, then put back in the queue for a retry rather than uploaded a second time or failed.
      await s.waitFor((log) =>
        log.some((e) => {
          const msg = (e.payload as { message?: Message }).message;
          return e.event === 'message.updated' && msg?.id === id && msg.status === 'queued';
        }),
      );
    } finally {
      s.socket.close();
    }
    const tried = (await admin.request<Page<Message>>('GET', `/api/conversations/${c.id}/messages`)).body.items.find(
      (x) => x.id === m.body.id,
    );
    expect(tried).toMatchObject({ status: 'queued', errorCode: null });
    expect(uploadCalls(b.appId)).toBe(before);

    // That instance died mid-upload: once its lease ran out, the retry uploads the file itself.
    await t.ds.query(`UPDATE uploads SET uploading_until = now() - interval '1 second' WHERE id = $1`, [up.id]);
    expect((await finalStates(c.id, [m.body.id]))[0]?.status).toBe('sent');
    expect(uploadCalls(b.appId)).toBe(before + 1);
    const [row] = (await t.ds.query(`SELECT uploading_until FROM uploads WHERE id = $1`, [up.id])) as {
      uploading_until: Date | null;
    }[];
    expect(row?.uploading_until).toBeNull();
  });

  it('fails an image WeChat refuses with its reason, never retried, and gives the send back', async () => {
    const c = await customerSays(a, 'oRefusedImage');
    const up = (await upload(agentA, c.id, form(JPEG, 'x.jpg', 'image/jpeg'))).body;
    sim.setFault(a.appId, { errcode: 40005, errmsg: 'invalid file type', paths: ['/cgi-bin/media/upload'] });
    try {
      const m = await sendImage(agentA, c.id, up.id);
      const [final] = await finalStates(c.id, [m.body.id]);
      expect(final).toMatchObject({ status: 'failed', errorCode: '40005' });
      expect(final?.errorReason).toMatch(/file format/);
    } finally {
      sim.clearFault(a.appId);
    }
    expect(sim.calls.filter((x) => x.path === '/cgi-bin/media/upload' && x.errcode === 40005)).toHaveLength(1);
    // The failed upload gave its lease back: a later send may upload at once.
    expect(
      (await t.ds.query(`SELECT uploading_until FROM uploads WHERE id = $1`, [up.id]))[0].uploading_until,
    ).toBeNull();
    expect(sim.sent.filter((x) => x.openid === 'oRefusedImage')).toHaveLength(0);
    expect((await agentA.request<Conversation>('GET', `/api/conversations/${c.id}`)).body.sendsLeft).toBe(5);

    // The file vanished from the disk: failed with a reason, not retried.
    const gone = (await upload(agentA, c.id, form(PNG, 'gone.png'))).body;
    const { unlinkSync } = await import('node:fs');
    unlinkSync(join(t.config.dataDir, 'uploads', a.id, gone.id));
    const m = await sendImage(agentA, c.id, gone.id);
    const [final] = await finalStates(c.id, [m.body.id]);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'uploads/not_found' });
    expect(existsSync(join(t.config.dataDir, 'uploads', a.id, gone.id))).toBe(false);
  });

  it("sends only uploads of the conversation's own account", async () => {
    const ca = await customerSays(a, 'oMixA');
    const cb = await customerSays(b, 'oMixB');
    const upA = (await upload(admin, ca.id, form(PNG, 'a.png'))).body;
    expect(upA.accountId).toBe(a.id);
    const wrong = await sendImage(admin, cb.id, upA.id);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'validation/failed', fields: { uploadId: [expect.any(String)] } });
    const unknown = await sendImage(admin, cb.id, '00000000-0000-4000-8000-000000000000');
    expect(unknown.body.fields?.uploadId).toBeDefined();
    const malformed = await sendImage(admin, cb.id, 'nope');
    expect(malformed.body.fields?.uploadId).toBeDefined();
    const missing = await admin.request<ApiErrorBody>('POST', `/api/conversations/${cb.id}/messages`, {
      type: 'image',
      clientMessageId: 'no-upload-id-1',
    });
    expect(missing.body.fields?.uploadId).toBeDefined();
    // Nothing was queued for B's customer.
    const page = await admin.request<Page<Message>>('GET', `/api/conversations/${cb.id}/messages`);
    expect(page.body.items.filter((m) => m.direction === 'out')).toHaveLength(0);
  });
});

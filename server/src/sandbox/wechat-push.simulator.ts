/**
 * The sandbox's stand-in for WeChat's push side (protocol doc §2, §3, §4.1): simulated customers of a sandbox
 * app send messages and trigger events, which are signed (and in compatible/safe mode encrypted) exactly as
 * WeChat does and POSTed to the account's callback URL, with WeChat's delivery rules:
 *
 * - WeChat waits 5 s for the answer;
 * - the answer counts only if it is HTTP 200 with `success`, an empty body or well-formed XML (a passive reply);
 *   a timeout, a network error, another status or any other body (e.g. JSON) is a failure;
 * - a failed push is delivered again, the same body (same MsgId) each time, up to 4 deliveries in all.
 *
 * Each logical customer action moves WeChat's reply window once in the API simulator (a message opens
 * 5 sends / 48 h, follow / scan / menu click 3 sends / 1 min, unfollow ends it), however many deliveries it takes.
 * Every delivery attempt is recorded (status, body, duration) and exposed.
 *
 * Framework-free. The clock and the HTTP function are injected, so tests can point a push at a slow or failing
 * local server.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { buildPush, type PushTarget } from '../channels/wechat/wechat-push.builder';
import { parseWechatXml } from '../channels/wechat/wechat-xml';
import { colourOf, makeAmr, makeMp4, makePng } from './sandbox-media';
import { SANDBOX_VIDEO_PATH, type SandboxEventKind, type WechatApiSimulator } from './wechat-api.simulator';

/** A sandbox app as the push side sees it: how to sign, and where to deliver. */
export interface PushAccount extends PushTarget {
  /** The callback URL without query, e.g. http://127.0.0.1:3000/webhooks/wechat/<accountId>. */
  callbackUrl: string;
  /** The inbox's id of the account, kept on the records. */
  accountId?: string;
}

export interface PushHttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Give up waiting for the answer after this long. */
  timeoutMs: number;
}

export type PushHttpResult =
  { kind: 'response'; status: number; body: string } | { kind: 'timeout' } | { kind: 'error'; message: string };

/** POSTs one push and reports what came back. Must not throw. */
export type PushHttp = (req: PushHttpRequest) => Promise<PushHttpResult>;

export type DeliveryOutcome = 'accepted' | 'timeout' | 'http_status' | 'invalid_reply' | 'network_error';

export interface DeliveryAttempt {
  attempt: number;
  /** ms, from the injected clock. */
  at: number;
  status: number | null;
  /** The answer body, cut to {@link RECORDED_BODY_CHARS} characters; null without an answer. */
  body: string | null;
  ms: number;
  outcome: DeliveryOutcome;
}

export interface PushRecord {
  id: string;
  accountId: string | undefined;
  appId: string;
  openid: string;
  msgType: string;
  event?: string;
  msgId?: string;
  /** Unix seconds. */
  createTime: number;
  /** The XML fields before signing/encryption (what the inbox should see). */
  fields: Record<string, string | number>;
  /** Full URL with query, and body, exactly as delivered (the same for every attempt). */
  url: string;
  body: string;
  delivered: boolean;
  attempts: DeliveryAttempt[];
}

export type CustomerMessage =
  | { type: 'text'; text: string }
  | { type: 'image' }
  | { type: 'voice'; recognition?: string }
  | { type: 'video' }
  | { type: 'location'; latitude: number; longitude: number; scale?: number; label?: string }
  | { type: 'link'; title: string; description?: string; url: string };

export type CustomerEvent =
  | { event: 'subscribe'; scene?: string }
  | { event: 'unsubscribe' }
  | { event: 'SCAN'; scene: string }
  | { event: 'CLICK'; key: string }
  | { event: 'VIEW'; url: string }
  | { event: 'LOCATION'; latitude: number; longitude: number; precision?: number };

export class SandboxPushError extends Error {
  constructor(
    readonly reason: 'not_following' | 'unknown_app',
    message: string,
  ) {
    super(message);
    this.name = 'SandboxPushError';
  }
}

export interface WechatPushSimulatorOptions {
  /** Clock in ms (CreateTime, timestamps, durations). Default Date.now. */
  now?: () => number;
  /** Default: a POST over node:http / node:https. */
  http?: PushHttp;
  /** WeChat's deadline for the answer. Default 5000. */
  timeoutMs?: number;
  /** Deliveries of one push, the first included. Default 4. */
  maxDeliveries?: number;
  /** Pause between deliveries. Default 0 (WeChat re-sends as soon as a delivery has failed). */
  retryDelayMs?: number;
  /** Base URL of the API simulator (for image PicUrls), e.g. http://127.0.0.1:3000/sandbox/wechat. */
  mediaBaseUrl?: () => string;
  /** Records kept (oldest dropped first). Default 5000. */
  maxRecords?: number;
}

export const PUSH_TIMEOUT_MS = 5000;
export const MAX_DELIVERIES = 4;
export const RECORDED_BODY_CHARS = 2000;
const MAX_ANSWER_BYTES = 64 * 1024;

/** WeChat's verdict on one answer to a push (§4.1). */
export function classifyAnswer(result: PushHttpResult): DeliveryOutcome {
  if (result.kind === 'timeout') return 'timeout';
  if (result.kind === 'error') return 'network_error';
  if (result.status !== 200) return 'http_status';
  const body = result.body.trim();
  if (body === '' || body === 'success') return 'accepted';
  try {
    parseWechatXml(body);
    return 'accepted';
  } catch {
    return 'invalid_reply';
  }
}

/** The default {@link PushHttp}: one POST, a hard deadline, the connection dropped when it passes. */
export const nodeHttpPost: PushHttp = (req) =>
  new Promise<PushHttpResult>((resolve) => {
    let settled = false;
    const url = new URL(req.url);
    const client = url.protocol === 'https:' ? https : http;
    const body = Buffer.from(req.body, 'utf8');
    const finish = (r: PushHttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const request = client.request(
      url,
      { method: 'POST', agent: false, headers: { ...req.headers, 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(c);
        });
        res.on('end', () =>
          finish({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (err) => finish({ kind: 'error', message: err.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      request.destroy();
    }, req.timeoutMs);
    request.on('error', (err) => finish({ kind: 'error', message: err.message }));
    request.end(body);
  });

const EVENT_KIND: Record<CustomerEvent['event'], SandboxEventKind> = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  SCAN: 'SCAN',
  CLICK: 'CLICK',
  VIEW: 'VIEW',
  LOCATION: 'LOCATION',
};

export class WechatPushSimulator {
  readonly now: () => number;
  private readonly http: PushHttp;
  private readonly timeoutMs: number;
  private readonly maxDeliveries: number;
  private readonly retryDelayMs: number;
  private readonly mediaBaseUrl: () => string;
  private readonly maxRecords: number;
  private readonly records: PushRecord[] = [];
  private seq = 0;

  constructor(
    private readonly api: WechatApiSimulator,
    options: WechatPushSimulatorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.http = options.http ?? nodeHttpPost;
    this.timeoutMs = options.timeoutMs ?? PUSH_TIMEOUT_MS;
    this.maxDeliveries = Math.max(1, options.maxDeliveries ?? MAX_DELIVERIES);
    this.retryDelayMs = options.retryDelayMs ?? 0;
    this.mediaBaseUrl = options.mediaBaseUrl ?? (() => 'http://sandbox.invalid');
    this.maxRecords = options.maxRecords ?? 5000;
  }

  /** Pushes, oldest first, optionally of one app and/or one customer. */
  pushes(filter: { appId?: string; openid?: string } = {}): PushRecord[] {
    return this.records.filter(
      (r) =>
        (filter.appId === undefined || r.appId === filter.appId) &&
        (filter.openid === undefined || r.openid === filter.openid),
    );
  }

  /** The customer sends an ordinary message (§3.1): window 5 sends / 48 h, then the push is delivered. */
  async sendMessage(target: PushAccount, openid: string, message: CustomerMessage): Promise<PushRecord> {
    this.assertApp(target.appId);
    const user = this.api.user(target.appId, openid);
    if (user && !user.subscribed) {
      throw new SandboxPushError('not_following', `${openid} does not follow this account and cannot write to it`);
    }
    const at = this.now();
    const msgId = this.nextMsgId(at);
    const fields: Record<string, string | number> = {
      FromUserName: openid,
      CreateTime: Math.floor(at / 1000),
      MsgType: message.type,
      ...this.messageFields(target.appId, openid, message),
      MsgId: msgId,
    };
    this.api.userMessage(target.appId, openid, at);
    return this.deliver(target, openid, fields, { msgType: message.type, msgId });
  }

  /** The customer triggers an event (§3.2); follow / scan / click open 3 sends / 1 min, unfollow ends the window. */
  async sendEvent(target: PushAccount, openid: string, event: CustomerEvent): Promise<PushRecord> {
    this.assertApp(target.appId);
    const user = this.api.user(target.appId, openid);
    const following = user?.subscribed ?? event.event === 'subscribe';
    if (event.event !== 'subscribe' && !following) {
      throw new SandboxPushError('not_following', `${openid} does not follow this account`);
    }
    const at = this.now();
    const fields: Record<string, string | number> = {
      FromUserName: openid,
      CreateTime: Math.floor(at / 1000),
      MsgType: 'event',
      Event: event.event,
      ...this.eventFields(event),
    };
    this.api.userEvent(target.appId, openid, EVENT_KIND[event.event], at);
    return this.deliver(target, openid, fields, { msgType: 'event', event: event.event });
  }

  private async deliver(
    target: PushAccount,
    openid: string,
    fields: Record<string, string | number>,
    kind: { msgType: string; event?: string; msgId?: string },
  ): Promise<PushRecord> {
    const createTime = Number(fields.CreateTime);
    const built = buildPush(target, fields, { timestamp: createTime });
    const url = `${target.callbackUrl}?${new URLSearchParams(built.query).toString()}`;
    const record: PushRecord = {
      id: randomUUID(),
      accountId: target.accountId,
      appId: target.appId,
      openid,
      ...kind,
      createTime,
      fields: { ToUserName: target.originalId, ...fields },
      url,
      body: built.body,
      delivered: false,
      attempts: [],
    };
    this.records.push(record);
    if (this.records.length > this.maxRecords) this.records.splice(0, this.records.length - this.maxRecords);

    for (let attempt = 1; attempt <= this.maxDeliveries && !record.delivered; attempt++) {
      if (attempt > 1 && this.retryDelayMs > 0) await new Promise((r) => setTimeout(r, this.retryDelayMs));
      const at = this.now();
      const result = await this.http({
        url,
        headers: { 'content-type': 'text/xml', 'user-agent': 'Mozilla/4.0' },
        body: built.body,
        timeoutMs: this.timeoutMs,
      });
      const outcome = classifyAnswer(result);
      record.attempts.push({
        attempt,
        at,
        status: result.kind === 'response' ? result.status : null,
        body: result.kind === 'response' ? result.body.slice(0, RECORDED_BODY_CHARS) : null,
        ms: this.now() - at,
        outcome,
      });
      record.delivered = outcome === 'accepted';
    }
    return record;
  }

  private messageFields(appId: string, openid: string, m: CustomerMessage): Record<string, string | number> {
    switch (m.type) {
      case 'text':
        return { Content: m.text };
      case 'image': {
        const mediaId = this.api.addMedia(appId, {
          type: 'image',
          data: makePng(colourOf(`${openid}:${this.seq}`)),
          contentType: 'image/png',
          filename: 'photo.png',
        });
        return {
          PicUrl: `${this.mediaBaseUrl()}${SANDBOX_VIDEO_PATH}${encodeURIComponent(mediaId)}`,
          MediaId: mediaId,
        };
      }
      case 'voice': {
        const mediaId = this.api.addMedia(appId, {
          type: 'voice',
          data: makeAmr(),
          contentType: 'audio/amr',
          filename: 'voice.amr',
        });
        return {
          MediaId: mediaId,
          Format: 'amr',
          ...(m.recognition !== undefined ? { Recognition: m.recognition } : {}),
        };
      }
      case 'video': {
        const mediaId = this.api.addMedia(appId, {
          type: 'video',
          data: makeMp4(),
          contentType: 'video/mp4',
          filename: 'video.mp4',
        });
        const thumbMediaId = this.api.addMedia(appId, {
          type: 'thumb',
          data: makePng(colourOf(openid), 32),
          contentType: 'image/png',
          filename: 'thumb.png',
        });
        return { MediaId: mediaId, ThumbMediaId: thumbMediaId };
      }
      case 'location':
        return {
          Location_X: String(m.latitude),
          Location_Y: String(m.longitude),
          Scale: m.scale ?? 15,
          Label: m.label ?? '',
        };
      case 'link':
        return { Title: m.title, Description: m.description ?? '', Url: m.url };
    }
  }

  private eventFields(e: CustomerEvent): Record<string, string | number> {
    switch (e.event) {
      case 'subscribe':
        return e.scene === undefined ? {} : { EventKey: `qrscene_${e.scene}`, Ticket: this.ticket() };
      case 'unsubscribe':
        return {};
      case 'SCAN':
        return { EventKey: e.scene, Ticket: this.ticket() };
      case 'CLICK':
        return { EventKey: e.key };
      case 'VIEW':
        return { EventKey: e.url };
      case 'LOCATION':
        return {
          Latitude: e.latitude.toFixed(6),
          Longitude: e.longitude.toFixed(6),
          Precision: (e.precision ?? 65).toFixed(6),
        };
    }
  }

  private assertApp(appId: string): void {
    if (!this.api.app(appId)) throw new SandboxPushError('unknown_app', `no sandbox app ${appId}`);
  }

  /** A 64-bit MsgId (19 digits, beyond 2^53 like WeChat's), unique per simulator and increasing. */
  private nextMsgId(at: number): string {
    this.seq += 1;
    return (6_000_000_000_000_000_000n + BigInt(at) * 1000n + BigInt(this.seq % 1000)).toString();
  }

  private ticket(): string {
    return `gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL${(this.seq++).toString(36)}`;
  }
}

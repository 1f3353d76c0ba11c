/**
 * A thin client for the WeChat Official Account HTTP API (protocol doc §5.2, §6.1, §6.2, §7, §8), over `fetch`.
 *
 * Every call has a timeout, reads WeChat's `{errcode, errmsg}` and throws a `WechatApiError` on failure. The
 * access token travels only in the query string of the request; it is never logged nor put in an error.
 * Token caching and the invalidate-and-retry-once rule live in `WechatTokenProvider`, not here.
 */
import type { Provider } from '@nestjs/common';
import { AppError } from '../../common/app-error';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import { WechatApiError, WECHAT_ERRORS, wechatTransportError } from './wechat-errors';

// ---------------------------------------------------------------------------------------------------------------
// Custom-message bodies (§6.1), exactly as WeChat wants them on the wire.

export interface CustomMessageBase {
  touser: string;
  /** Send as a specific kf account (the user sees its nickname/avatar). */
  customservice?: { kf_account: string };
}

export interface NewsArticle {
  title: string;
  description?: string;
  url: string;
  picurl?: string;
}

export interface MsgMenuItem {
  id: string;
  content: string;
}

export type CustomMessage = CustomMessageBase &
  (
    | { msgtype: 'text'; text: { content: string } }
    | { msgtype: 'image'; image: { media_id: string } }
    | { msgtype: 'voice'; voice: { media_id: string } }
    | {
        msgtype: 'video';
        video: { media_id: string; thumb_media_id?: string; title?: string; description?: string };
      }
    /** WeChat accepts exactly one article (more → 45008). */
    | { msgtype: 'news'; news: { articles: [NewsArticle] } }
    | { msgtype: 'msgmenu'; msgmenu: { head_content?: string; list: MsgMenuItem[]; tail_content?: string } }
  );

export type CustomMessageType = CustomMessage['msgtype'];

export type TypingCommand = 'Typing' | 'CancelTyping';

// ---------------------------------------------------------------------------------------------------------------
// Media (§7.2)

export type UploadMediaType = 'image' | 'voice' | 'video' | 'thumb';

export interface MediaLimit {
  maxBytes: number;
  /** Lower-case file-name extensions WeChat accepts. */
  extensions: readonly string[];
  contentTypes: readonly string[];
}

const MB = 1024 * 1024;

/** §7.2; images use the page's stricter 2 MB. Voice must also be ≤ 60 s, which only WeChat checks. */
export const MEDIA_LIMITS: Readonly<Record<UploadMediaType, MediaLimit>> = Object.freeze({
  image: {
    maxBytes: 2 * MB,
    extensions: ['png', 'jpeg', 'jpg', 'gif'],
    contentTypes: ['image/png', 'image/jpeg', 'image/jpg', 'image/gif'],
  },
  voice: { maxBytes: 2 * MB, extensions: ['amr', 'mp3'], contentTypes: ['audio/amr', 'audio/mpeg', 'audio/mp3'] },
  video: { maxBytes: 10 * MB, extensions: ['mp4'], contentTypes: ['video/mp4'] },
  thumb: { maxBytes: 64 * 1024, extensions: ['jpg', 'jpeg'], contentTypes: ['image/jpeg', 'image/jpg'] },
});

/** An upload refused before calling WeChat: too large or of a type WeChat does not take for that media type. */
export class WechatMediaRejectedError extends AppError {
  constructor(
    code: 'wechat/media_too_large' | 'wechat/media_type',
    message: string,
    readonly detail: { type: string; size: number; limitBytes?: number; contentType: string; filename: string },
  ) {
    super(code, message, { media: [message] });
    this.name = 'WechatMediaRejectedError';
  }
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
}

/** Throws WechatMediaRejectedError unless `file` may be uploaded as `type` (§7.2). */
export function checkUploadMedia(type: string, file: Buffer, filename: string, contentType: string): void {
  const detail = { type, size: file.length, contentType, filename };
  const limit = (MEDIA_LIMITS as Record<string, MediaLimit | undefined>)[type];
  if (!limit) {
    throw new WechatMediaRejectedError('wechat/media_type', `Unknown media type "${type}"`, detail);
  }
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const ext = extensionOf(filename);
  if (!limit.contentTypes.includes(mime) || !limit.extensions.includes(ext)) {
    throw new WechatMediaRejectedError(
      'wechat/media_type',
      `WeChat takes ${limit.extensions.join('/').toUpperCase()} files as ${type}, not "${filename}" (${mime || 'no type'})`,
      detail,
    );
  }
  if (file.length === 0) {
    throw new WechatMediaRejectedError('wechat/media_type', 'The file is empty', detail);
  }
  if (file.length > limit.maxBytes) {
    throw new WechatMediaRejectedError(
      'wechat/media_too_large',
      `A ${type} may be at most ${formatBytes(limit.maxBytes)}; this file is ${formatBytes(file.length)}`,
      { ...detail, limitBytes: limit.maxBytes },
    );
  }
}

function formatBytes(n: number): string {
  if (n >= MB) return `${Math.round((n / MB) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

// ---------------------------------------------------------------------------------------------------------------

export interface StableToken {
  accessToken: string;
  /** Seconds from now; WeChat guarantees ≥ 300 in normal mode (§5.2). */
  expiresIn: number;
}

export interface UploadedMedia {
  type: string;
  mediaId: string;
  /** Unix seconds. */
  createdAt: number;
}

export interface DownloadedMedia {
  contentType: string;
  data: Buffer;
  filename?: string;
}

/** §8: what `user/info` still returns. Only `openid` and `subscribed` are present for a user who unfollowed. */
export interface WechatUserInfo {
  openid: string;
  subscribed: boolean;
  subscribeTime?: number;
  unionid?: string;
  remark?: string;
  groupId?: number;
  tagIds?: number[];
  subscribeScene?: string;
  qrScene?: number;
  qrSceneStr?: string;
}

export interface WechatApiClientOptions {
  /** e.g. https://api.weixin.qq.com (config WECHAT_API_BASE), or the sandbox's URL. */
  baseUrl: string;
  /** Per call, including reading the body. Default 10 s. */
  timeoutMs?: number;
  /** Largest media download accepted. Default 64 MB. */
  maxDownloadBytes?: number;
}

type Json = Record<string, unknown>;

interface RawResponse {
  status: number;
  contentType: string;
  headers: Headers;
  body: Buffer;
}

const REFUSED_BEFORE_SENDING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** By name, not instanceof: fetch's DOMException may come from another realm (e.g. under jest). */
function isTimeout(err: unknown): boolean {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return name === 'TimeoutError' || name === 'AbortError';
}

function looksLikeJson(contentType: string, body: Buffer): boolean {
  if (/json|text\/plain/i.test(contentType)) return true;
  // Some WeChat error answers come without a useful content type: sniff small bodies.
  if (body.length > 4096) return false;
  const start = body.subarray(0, 16).toString('utf8').trimStart();
  return start.startsWith('{"errcode"') || start.startsWith('{"video_url"') || start.startsWith('{ "errcode"');
}

function filenameFrom(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
  const name = plain?.[2] ?? plain?.[1]?.trim();
  return name || undefined;
}

export class WechatApiClient {
  private base: string;
  private readonly timeoutMs: number;
  private readonly maxDownloadBytes: number;

  constructor(options: WechatApiClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxDownloadBytes = options.maxDownloadBytes ?? 64 * MB;
  }

  /** Where later calls go (the sandbox points this at its own server once its port is known). */
  setBaseUrl(baseUrl: string): void {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  get baseUrl(): string {
    return this.base;
  }

  /** §5.2 normal mode: the same token during its validity, a fresh one in its last 5 minutes. */
  async fetchStableToken(appId: string, secret: string): Promise<StableToken> {
    const api = '/cgi-bin/stable_token';
    const res = await this.request(api, {
      method: 'POST',
      json: { grant_type: 'client_credential', appid: appId, secret, force_refresh: false },
    });
    const body = this.parseJson(api, res, [secret]);
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    if (errcode !== 0) {
      const errmsg = redact(String(body.errmsg ?? ''), [secret]);
      // §5.3: when fetching, 40001 means the AppSecret is wrong — not a token problem, never a retry.
      if (errcode === 40001 || errcode === 40014 || errcode === 42001) {
        throw new WechatApiError(errcode, errmsg, { api, kind: 'credentials', reason: WECHAT_ERRORS[40125]?.reason });
      }
      throw new WechatApiError(errcode, errmsg, { api });
    }
    const accessToken = body.access_token;
    const expiresIn = body.expires_in;
    if (typeof accessToken !== 'string' || !accessToken || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw wechatTransportError('bad_response', 'token answer without access_token/expires_in', {
        api,
        httpStatus: res.status,
        maybeDelivered: false,
      });
    }
    return { accessToken, expiresIn };
  }

  /** §6.1. Resolves when WeChat accepted the message (errcode 0). */
  async sendCustomMessage(token: string, body: CustomMessage): Promise<void> {
    await this.callJson('/cgi-bin/message/custom/send', token, { method: 'POST', json: body });
  }

  /** §6.2. */
  async typing(token: string, openid: string, command: TypingCommand): Promise<void> {
    await this.callJson('/cgi-bin/message/custom/typing', token, { method: 'POST', json: { touser: openid, command } });
  }

  /**
   * §7.2: multipart upload (field `media`) of a temporary media, valid 3 days. Size and type are checked first:
   * a file WeChat would refuse throws WechatMediaRejectedError without any HTTP call.
   */
  async uploadMedia(
    token: string,
    type: UploadMediaType,
    file: Buffer,
    filename: string,
    contentType: string,
  ): Promise<UploadedMedia> {
    checkUploadMedia(type, file, filename, contentType);
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array(file)], { type: contentType }), filename);
    const body = await this.callJson('/cgi-bin/media/upload', token, { method: 'POST', form, query: { type } });
    // A thumb upload answers with `thumb_media_id` instead of `media_id`.
    const mediaId = body.media_id ?? body.thumb_media_id;
    if (typeof mediaId !== 'string' || !mediaId) {
      throw wechatTransportError('bad_response', 'upload answer without media_id', {
        api: '/cgi-bin/media/upload',
        maybeDelivered: true,
      });
    }
    return {
      type: typeof body.type === 'string' ? body.type : type,
      mediaId,
      createdAt: typeof body.created_at === 'number' ? body.created_at : Number(body.created_at ?? 0),
    };
  }

  /**
   * §7.1: download a temporary media. A JSON answer is an error (thrown) or, for videos, `{video_url}` whose
   * target is downloaded in turn.
   */
  async getMedia(token: string, mediaId: string): Promise<DownloadedMedia> {
    const api = '/cgi-bin/media/get';
    const res = await this.request(api, { method: 'GET', token, query: { media_id: mediaId } });
    if (looksLikeJson(res.contentType, res.body)) {
      const body = this.parseJson(api, res, [token]);
      this.throwIfError(api, body, [token]);
      if (typeof body.video_url === 'string' && body.video_url) return this.download(body.video_url);
      throw wechatTransportError('bad_response', 'media answer is JSON without video_url', {
        api,
        httpStatus: res.status,
        maybeDelivered: false,
      });
    }
    this.checkStatus(api, res);
    return this.toMedia(res);
  }

  /** §8. */
  async getUserInfo(token: string, openid: string, lang: 'zh_CN' | 'zh_TW' | 'en' = 'zh_CN'): Promise<WechatUserInfo> {
    const b = await this.callJson('/cgi-bin/user/info', token, { method: 'GET', query: { openid, lang } });
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
    const info: WechatUserInfo = {
      openid: typeof b.openid === 'string' ? b.openid : openid,
      subscribed: b.subscribe === 1,
    };
    const set = <K extends keyof WechatUserInfo>(k: K, v: WechatUserInfo[K] | undefined) => {
      if (v !== undefined) info[k] = v;
    };
    set('subscribeTime', num(b.subscribe_time));
    set('unionid', str(b.unionid));
    set('remark', str(b.remark));
    set('groupId', num(b.groupid));
    set(
      'tagIds',
      Array.isArray(b.tagid_list) ? b.tagid_list.filter((t): t is number => typeof t === 'number') : undefined,
    );
    set('subscribeScene', str(b.subscribe_scene));
    set('qrScene', num(b.qr_scene));
    set('qrSceneStr', str(b.qr_scene_str));
    return info;
  }

  // -------------------------------------------------------------------------------------------------------------

  private async download(url: string): Promise<DownloadedMedia> {
    const api = '/cgi-bin/media/get (video_url)';
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw this.transport(api, err);
    }
    const raw = await this.readBody(api, res);
    this.checkStatus(api, raw);
    return this.toMedia(raw);
  }

  private toMedia(res: RawResponse): DownloadedMedia {
    const media: DownloadedMedia = { contentType: res.contentType || 'application/octet-stream', data: res.body };
    const filename = filenameFrom(res.headers.get('content-disposition'));
    if (filename) media.filename = filename;
    return media;
  }

  private async callJson(
    api: string,
    token: string,
    init: { method: 'GET' | 'POST'; json?: unknown; form?: FormData; query?: Record<string, string> },
  ): Promise<Json> {
    const res = await this.request(api, { ...init, token });
    const body = this.parseJson(api, res, [token]);
    this.throwIfError(api, body, [token]);
    return body;
  }

  private throwIfError(api: string, body: Json, secrets: string[]): void {
    if (typeof body.errcode === 'number' && body.errcode !== 0) {
      throw new WechatApiError(body.errcode, redact(String(body.errmsg ?? ''), secrets), { api });
    }
  }

  private checkStatus(api: string, res: RawResponse): void {
    if (res.status >= 200 && res.status < 300) return;
    const transient = res.status >= 500 || res.status === 429 || res.status === 408;
    if (transient) {
      throw wechatTransportError('http_status', `HTTP ${res.status}`, {
        api,
        httpStatus: res.status,
        maybeDelivered: true,
      });
    }
    throw new WechatApiError(null, `HTTP ${res.status}`, {
      api,
      httpStatus: res.status,
      transport: 'http_status',
      kind: 'permanent',
      reason: {
        en: `WeChat answered with HTTP ${res.status} (check WECHAT_API_BASE)`,
        'zh-CN': `微信返回 HTTP ${res.status}（请检查 WECHAT_API_BASE 配置）`,
      },
    });
  }

  private parseJson(api: string, res: RawResponse, secrets: string[]): Json {
    this.checkStatus(api, res);
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw wechatTransportError('bad_response', redact(`not JSON (HTTP ${res.status})`, secrets), {
        api,
        httpStatus: res.status,
        maybeDelivered: true,
      });
    }
    return parsed as Json;
  }

  private async request(
    api: string,
    init: {
      method: 'GET' | 'POST';
      token?: string;
      query?: Record<string, string>;
      json?: unknown;
      form?: FormData;
    },
  ): Promise<RawResponse> {
    const url = new URL(this.base + api);
    if (init.token !== undefined) url.searchParams.set('access_token', init.token);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    let body: string | FormData | undefined;
    const headers: Record<string, string> = {};
    if (init.json !== undefined) {
      // Plain JSON.stringify: UTF-8, CJK not \u-escaped (§6.1, error 40033).
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json; charset=utf-8';
    } else if (init.form) {
      body = init.form;
    }
    let res: Response;
    try {
      res = await fetch(url, { method: init.method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw this.transport(api, err);
    }
    return this.readBody(api, res);
  }

  private async readBody(api: string, res: Response): Promise<RawResponse> {
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > this.maxDownloadBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new WechatApiError(null, `answer of ${declared} bytes is larger than ${this.maxDownloadBytes}`, {
        api,
        kind: 'permanent',
        transport: 'bad_response',
        reason: { en: 'The file is too large to download', 'zh-CN': '文件过大，无法下载' },
      });
    }
    let data: ArrayBuffer;
    try {
      data = await res.arrayBuffer();
    } catch (err) {
      throw this.transport(api, err);
    }
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      headers: res.headers,
      body: Buffer.from(data),
    };
  }

  /** Network failure or timeout. Only a connection that was never made is known not to have reached WeChat. */
  private transport(api: string, err: unknown): WechatApiError {
    if (isTimeout(err)) {
      return wechatTransportError('timeout', `no answer within ${this.timeoutMs} ms`, { api, maybeDelivered: true });
    }
    const code = errorCode(err);
    return wechatTransportError('network', code ?? 'fetch failed', {
      api,
      maybeDelivered: !(code && REFUSED_BEFORE_SENDING.has(code)),
    });
  }
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('***');
  return out;
}

/** Nest provider: one client per process against WECHAT_API_BASE. */
export const wechatApiClientProvider: Provider = {
  provide: WechatApiClient,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new WechatApiClient({ baseUrl: config.wechatApiBase }),
};

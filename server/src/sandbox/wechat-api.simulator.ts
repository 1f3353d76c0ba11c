/**
 * The sandbox's stand-in for api.weixin.qq.com: an in-memory model of the parts of the Official Account API this
 * project uses (protocol doc §5, §6, §7, §8, §10), with the rules that matter for a customer-service inbox:
 *
 * - tokens: `stable_token` returns the same token while it has ≥ 5 min left and a new one in its last 5 minutes
 *   (old and new overlap); `/cgi-bin/token` issues a new one each call and cuts the previous one to 5 more minutes;
 *   the two are isolated from each other (§5.1, §5.2). Missing → 41001, unknown/invalidated → 40001, expired → 42001.
 * - reply windows per (app, openid) (§6.3): a user message opens 5 sends for 48 h; a follow, a QR scan or a CLICK /
 *   scancode_push / scancode_waitmsg menu opens 3 sends for 1 minute; VIEW (and other events) open none.
 *   Allowances are not cumulative: a new action sets the allowance to the largest of what is left and the action's
 *   own maximum, and the expiry to the later of the two ("更新为当前可下发条数限制的最大值，有效期为最长的时间"),
 *   so a user message always resets to 5 sends / 48 h. Closed → 45015; used up → 45047; unknown openid → 40003;
 *   not following → 43004; per-minute limit per app → 45011.
 * - temporary media (§7): upload limits, 3-day validity, `video_url` for videos.
 * - fault injection per app: latency, an errcode (e.g. -1), an HTTP status, a dropped connection.
 *
 * Framework-free: `handle()` takes an HTTP-shaped request and returns an HTTP-shaped answer; `wechat-api.server.ts`
 * puts it on a socket. Time comes from the injected `now()` (milliseconds).
 */
import { randomBytes } from 'node:crypto';
import { MEDIA_LIMITS, type UploadMediaType } from '../channels/wechat/wechat-api.client';

export interface SandboxApp {
  appId: string;
  secret: string;
  originalId: string;
}

export interface SandboxUser {
  appId: string;
  openid: string;
  subscribed: boolean;
  /** Unix seconds of the last follow. */
  subscribeTime: number;
  subscribeScene: string;
  unionid?: string;
  remark: string;
}

export type SandboxEventKind =
  | 'subscribe'
  | 'unsubscribe'
  | 'SCAN'
  | 'CLICK'
  | 'VIEW'
  | 'scancode_push'
  | 'scancode_waitmsg'
  | 'pic_sysphoto'
  | 'pic_photo_or_album'
  | 'pic_weixin'
  | 'location_select'
  | 'view_miniprogram'
  | 'LOCATION';

/** §6.3: the only events that open a (3 sends / 1 minute) window. */
export const WINDOW_OPENING_EVENTS: readonly SandboxEventKind[] = [
  'subscribe',
  'SCAN',
  'CLICK',
  'scancode_push',
  'scancode_waitmsg',
];

export const WINDOW_RULES = {
  message: { sends: 5, durationMs: 48 * 3600_000 },
  event: { sends: 3, durationMs: 60_000 },
} as const;

/** An open reply window: sends left and when it closes (ms). */
export interface ReplyWindow {
  remaining: number;
  expiresAt: number;
}

export interface SimulatorFault {
  /** Delay before answering (the call then proceeds, unless another field below applies). */
  latencyMs?: number;
  /** Answer `{errcode, errmsg}` instead of doing the call (e.g. -1 system busy). */
  errcode?: number;
  errmsg?: string;
  /** Answer with this HTTP status and a non-JSON body (e.g. 500). */
  httpStatus?: number;
  /** Close the connection without answering. */
  dropConnection?: boolean;
  /** How many matching calls are affected; unlimited until `clearFault` when absent. */
  times?: number;
  /** Only calls to these API paths (e.g. '/cgi-bin/message/custom/send'); every call of the app when absent. */
  paths?: string[];
}

export interface SentMessage {
  appId: string;
  openid: string;
  /** The JSON body exactly as received. */
  body: Record<string, unknown>;
  at: number;
}

export interface TypingRecord {
  appId: string;
  openid: string;
  command: string;
  at: number;
}

/** One API call. The access token and AppSecret are not recorded. */
export interface ApiCallRecord {
  at: number;
  method: string;
  path: string;
  appId: string | undefined;
  /** 0 on success; null when no JSON answer was given (dropped, HTTP error, binary media). */
  errcode: number | null;
  httpStatus: number | null;
  /** JSON request body (stable_token's `secret` removed). */
  body?: unknown;
  /** The raw request body text for JSON requests. */
  raw?: string;
}

export interface StoredMedia {
  mediaId: string;
  appId: string;
  type: UploadMediaType;
  data: Buffer;
  contentType: string;
  filename: string;
  /** ms */
  createdAt: number;
}

export interface SimRequest {
  method: string;
  /** The API path, e.g. '/cgi-bin/message/custom/send' (without any mount prefix). */
  path: string;
  query: URLSearchParams;
  contentType?: string;
  body?: Buffer;
  /** Absolute URL under which this simulator is reachable (for `video_url`). */
  baseUrl?: string;
}

export type SimResponse =
  | { kind: 'json'; status: number; body: Record<string, unknown> }
  | { kind: 'bytes'; status: number; headers: Record<string, string>; data: Buffer }
  | { kind: 'drop' };

export interface WechatApiSimulatorOptions {
  /** Clock in milliseconds. Default Date.now. */
  now?: () => number;
  /** expires_in of new tokens. Default 7200. */
  tokenTtlSeconds?: number;
  /** custom/send calls allowed per app per calendar minute. Default unlimited. */
  sendsPerMinute?: number;
}

interface TokenRecord {
  appId: string;
  kind: 'stable' | 'classic';
  expiresAt: number;
  invalidated: boolean;
}

interface UserState extends SandboxUser {
  window?: ReplyWindow;
  lastInteractionAt?: number;
  typingUntil?: number;
}

/** §5.2: stable_token hands out a new token once the current one has less than this left. */
const STABLE_RENEW_MS = 300_000;
/** §5.1: after a new /cgi-bin/token, the previous one keeps working this long. */
const CLASSIC_OVERLAP_MS = 300_000;
const MEDIA_TTL_MS = 3 * 24 * 3600_000;
const TYPING_INTERACTION_MS = 30_000;
const TYPING_DURATION_MS = 15_000;
/** Path the sandbox gives as `video_url` (outside /cgi-bin, no token, like WeChat's CDN). */
export const SANDBOX_VIDEO_PATH = '/sandbox-media/';

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40004: 'invalid media type',
  40005: 'invalid file type',
  40007: 'invalid media_id',
  40008: 'invalid message type',
  40009: 'invalid image size',
  40010: 'invalid voice size',
  40011: 'invalid video size',
  40012: 'invalid thumb size',
  40013: 'invalid appid',
  40125: 'invalid appsecret',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41005: 'media data missing',
  41006: 'media_id missing',
  42001: 'access_token expired',
  43004: 'require subscribe',
  44002: 'empty post data',
  45008: 'article size out of limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  45072: 'command field error',
  45080: 'has not sent message to user in 30 seconds',
  45081: 'already typing',
  47001: 'data format error',
};

const SEND_PATH = '/cgi-bin/message/custom/send';

const MSG_TYPES = new Set([
  'text',
  'image',
  'voice',
  'video',
  'music',
  'news',
  'mpnews',
  'mpnewsarticle',
  'msgmenu',
  'wxcard',
  'miniprogrampage',
]);

const SIZE_ERRCODE: Record<UploadMediaType, number> = { image: 40009, voice: 40010, video: 40011, thumb: 40012 };

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function json(body: Record<string, unknown>, status = 200): SimResponse {
  return { kind: 'json', status, body };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class WechatApiSimulator {
  readonly now: () => number;
  /** Every custom/send WeChat accepted, in order. */
  readonly sent: SentMessage[] = [];
  /** Every accepted typing command. */
  readonly typing: TypingRecord[] = [];
  /** Every API call, in order. */
  readonly calls: ApiCallRecord[] = [];

  private tokenTtlSeconds: number;
  private sendsPerMinute: number;
  private readonly appsById = new Map<string, SandboxApp>();
  private readonly usersByKey = new Map<string, UserState>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly currentStable = new Map<string, string>();
  private readonly currentClassic = new Map<string, string>();
  private readonly fetches = new Map<string, number>();
  private readonly faults = new Map<string, SimulatorFault>();
  private readonly minuteCounts = new Map<string, number>();
  private readonly mediaById = new Map<string, StoredMedia>();

  constructor(options: WechatApiSimulatorOptions = {}) {
    this.now = options.now ?? Date.now;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 7200;
    this.sendsPerMinute = options.sendsPerMinute ?? Infinity;
  }

  // -- set-up -----------------------------------------------------------------------------------------------------

  addApp(app: Partial<SandboxApp> = {}): SandboxApp {
    const made: SandboxApp = {
      appId: app.appId ?? `wx${hex(8)}`,
      secret: app.secret ?? hex(16),
      originalId: app.originalId ?? `gh_${hex(6)}`,
    };
    if (this.appsById.has(made.appId)) throw new Error(`sandbox app ${made.appId} exists`);
    this.appsById.set(made.appId, made);
    return { ...made };
  }

  /**
   * Adds the app, or updates the secret and original id of an existing one (its tokens, users and media stay:
   * on WeChat a new AppSecret does not end the tokens already issued).
   */
  upsertApp(app: SandboxApp): SandboxApp {
    const existing = this.appsById.get(app.appId);
    if (!existing) return this.addApp(app);
    existing.secret = app.secret;
    existing.originalId = app.originalId;
    return { ...existing };
  }

  app(appId: string): SandboxApp | undefined {
    const a = this.appsById.get(appId);
    return a && { ...a };
  }

  apps(): SandboxApp[] {
    return [...this.appsById.values()].map((a) => ({ ...a }));
  }

  setTokenTtl(seconds: number): void {
    this.tokenTtlSeconds = seconds;
  }

  setSendsPerMinute(n: number): void {
    this.sendsPerMinute = n;
  }

  /** A follower of `appId` (subscribed unless told otherwise). Returns the openid. */
  addUser(
    appId: string,
    options: { openid?: string; subscribed?: boolean; unionid?: string; subscribeScene?: string; remark?: string } = {},
  ): string {
    this.mustApp(appId);
    const openid = options.openid ?? `o${randomBytes(20).toString('base64url').slice(0, 27)}`;
    const user: UserState = {
      appId,
      openid,
      subscribed: options.subscribed ?? true,
      subscribeTime: Math.floor(this.now() / 1000),
      subscribeScene: options.subscribeScene ?? 'ADD_SCENE_QR_CODE',
      remark: options.remark ?? '',
    };
    if (options.unionid !== undefined) user.unionid = options.unionid;
    this.usersByKey.set(this.key(appId, openid), user);
    return openid;
  }

  user(appId: string, openid: string): SandboxUser | undefined {
    const u = this.usersByKey.get(this.key(appId, openid));
    if (!u) return undefined;
    const { window: _w, lastInteractionAt: _l, typingUntil: _t, ...rest } = u;
    return rest;
  }

  /** Every user (follower or not) of `appId`, in the order they were added. */
  users(appId: string): SandboxUser[] {
    const out: SandboxUser[] = [];
    for (const u of this.usersByKey.values()) {
      if (u.appId !== appId) continue;
      const { window: _w, lastInteractionAt: _l, typingUntil: _t, ...rest } = u;
      out.push(rest);
    }
    return out;
  }

  /** Sets a user's window as is (to restore state kept elsewhere, e.g. after a restart); undefined closes it. */
  setWindow(appId: string, openid: string, window: ReplyWindow | undefined): void {
    const u = this.mustUser(appId, openid);
    if (window) u.window = { ...window };
    else delete u.window;
  }

  /** The user sent an ordinary message: 5 sends for 48 h (unknown users are created as followers). */
  userMessage(appId: string, openid: string, at = this.now()): void {
    const u = this.usersByKey.get(this.key(appId, openid)) ?? this.mustUser(appId, this.addUser(appId, { openid }));
    if (!u.subscribed) throw new Error(`sandbox user ${openid} does not follow ${appId} and cannot send messages`);
    this.open(u, WINDOW_RULES.message, at);
    u.lastInteractionAt = at;
  }

  /** The user triggered an event; follow / SCAN / CLICK / scancode_* open 3 sends for 1 minute (§6.3). */
  userEvent(appId: string, openid: string, kind: SandboxEventKind, at = this.now()): void {
    let u = this.usersByKey.get(this.key(appId, openid));
    if (!u) u = this.mustUser(appId, this.addUser(appId, { openid, subscribed: kind !== 'unsubscribe' }));
    if (kind === 'unsubscribe') {
      u.subscribed = false;
      delete u.window;
      return;
    }
    if (kind === 'subscribe') {
      u.subscribed = true;
      u.subscribeTime = Math.floor(at / 1000);
    }
    if (WINDOW_OPENING_EVENTS.includes(kind)) this.open(u, WINDOW_RULES.event, at);
  }

  /** The open window of a user, or undefined when closed. */
  window(appId: string, openid: string, at = this.now()): ReplyWindow | undefined {
    const w = this.usersByKey.get(this.key(appId, openid))?.window;
    return w && at < w.expiresAt ? { ...w } : undefined;
  }

  /** Media as if a user had sent it (for inbound messages); returns its media_id. */
  addMedia(
    appId: string,
    media: { type: UploadMediaType; data: Buffer; contentType: string; filename: string; mediaId?: string },
  ): string {
    this.mustApp(appId);
    const mediaId = media.mediaId ?? this.newMediaId();
    this.mediaById.set(mediaId, {
      mediaId,
      appId,
      type: media.type,
      data: media.data,
      contentType: media.contentType,
      filename: media.filename,
      createdAt: this.now(),
    });
    return mediaId;
  }

  media(mediaId: string): StoredMedia | undefined {
    return this.mediaById.get(mediaId);
  }

  // -- tokens and faults ------------------------------------------------------------------------------------------

  /** Calls to stable_token and /cgi-bin/token naming this app. */
  tokenFetches(appId: string): number {
    return this.fetches.get(appId) ?? 0;
  }

  /** Every token of the app expires now: calls get 42001; the next fetch gets a new token. */
  expireTokens(appId: string): void {
    const at = this.now();
    for (const t of this.tokens.values()) if (t.appId === appId && t.expiresAt > at) t.expiresAt = at;
  }

  /** Every token of the app becomes invalid (as after a forced refresh elsewhere): calls get 40001. */
  invalidateTokens(appId: string): void {
    for (const t of this.tokens.values()) if (t.appId === appId) t.invalidated = true;
  }

  setFault(appId: string, fault: SimulatorFault): void {
    this.faults.set(appId, { ...fault });
  }

  clearFault(appId: string): void {
    this.faults.delete(appId);
  }

  // -- the API ----------------------------------------------------------------------------------------------------

  /** One HTTP request to the API, answered as api.weixin.qq.com would. */
  async handle(req: SimRequest): Promise<SimResponse> {
    const at = this.now();
    const record: ApiCallRecord = {
      at,
      method: req.method,
      path: req.path,
      appId: undefined,
      errcode: null,
      httpStatus: null,
    };
    const isJson = req.body !== undefined && req.body.length > 0 && !/multipart/i.test(req.contentType ?? '');
    let parsed: unknown;
    let parseFailed = false;
    if (isJson && req.body) {
      record.raw = req.body.toString('utf8');
      try {
        parsed = JSON.parse(record.raw);
      } catch {
        parseFailed = true;
      }
    }
    record.appId = this.appOf(req, parsed);
    if (isObject(parsed)) {
      const { secret: _secret, ...rest } = parsed;
      record.body = req.path === '/cgi-bin/stable_token' ? rest : parsed;
      if (req.path === '/cgi-bin/stable_token') delete record.raw;
    }
    this.calls.push(record);

    const res = await this.route(req, record.appId, parsed, parseFailed);
    if (res.kind === 'json') {
      record.httpStatus = res.status;
      record.errcode = typeof res.body.errcode === 'number' ? res.body.errcode : 0;
    } else if (res.kind === 'bytes') {
      record.httpStatus = res.status;
    }
    return res;
  }

  private async route(
    req: SimRequest,
    appId: string | undefined,
    parsed: unknown,
    parseFailed: boolean,
  ): Promise<SimResponse> {
    const fault = appId ? this.takeFault(appId, req.path) : undefined;
    if (fault) {
      if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs).unref());
      if (fault.dropConnection) return { kind: 'drop' };
      if (fault.httpStatus) {
        return {
          kind: 'bytes',
          status: fault.httpStatus,
          headers: { 'content-type': 'text/html' },
          data: Buffer.from(`<html><body>${fault.httpStatus} sandbox fault</body></html>`),
        };
      }
      if (fault.errcode !== undefined) return this.error(fault.errcode, fault.errmsg);
    }
    const method = req.method.toUpperCase();
    if (req.path === '/cgi-bin/stable_token' && method === 'POST') return this.stableToken(parsed, parseFailed);
    if (req.path === '/cgi-bin/token' && method === 'GET') return this.classicToken(req.query);
    if (req.path === SEND_PATH && method === 'POST') return this.customSend(req.query, parsed, parseFailed);
    if (req.path === '/cgi-bin/message/custom/typing' && method === 'POST')
      return this.customTyping(req.query, parsed, parseFailed);
    if (req.path === '/cgi-bin/media/upload' && method === 'POST') return this.upload(req);
    if (req.path === '/cgi-bin/media/get' && method === 'GET') return this.getMedia(req);
    if (req.path === '/cgi-bin/user/info' && method === 'GET') return this.userInfo(req.query);
    if (req.path.startsWith(SANDBOX_VIDEO_PATH) && method === 'GET') return this.videoDownload(req.path);
    return { kind: 'bytes', status: 404, headers: { 'content-type': 'text/plain' }, data: Buffer.from('not found') };
  }

  private stableToken(body: unknown, parseFailed: boolean): SimResponse {
    if (parseFailed || !isObject(body)) return this.error(parseFailed ? 47001 : 44002);
    if (body.grant_type !== 'client_credential') return this.error(40002);
    const checked = this.checkCredentials(body.appid, body.secret);
    if ('errcode' in checked) return this.error(checked.errcode);
    const { appId } = checked;
    const at = this.now();
    const currentId = this.currentStable.get(appId);
    const current = currentId ? this.tokens.get(currentId) : undefined;
    if (body.force_refresh === true && current) current.invalidated = true;
    if (currentId && current && !current.invalidated && current.expiresAt - at >= STABLE_RENEW_MS) {
      return json({ access_token: currentId, expires_in: Math.floor((current.expiresAt - at) / 1000) });
    }
    // Renewed in the last 5 minutes: the old token keeps working until its own expiry (overlap).
    const token = this.issue(appId, 'stable');
    this.currentStable.set(appId, token);
    return json({ access_token: token, expires_in: this.tokenTtlSeconds });
  }

  private classicToken(query: URLSearchParams): SimResponse {
    if (query.get('grant_type') !== 'client_credential') return this.error(40002);
    const checked = this.checkCredentials(query.get('appid') ?? undefined, query.get('secret') ?? undefined);
    if ('errcode' in checked) return this.error(checked.errcode);
    const at = this.now();
    const previous = this.tokens.get(this.currentClassic.get(checked.appId) ?? '');
    if (previous) previous.expiresAt = Math.min(previous.expiresAt, at + CLASSIC_OVERLAP_MS);
    const token = this.issue(checked.appId, 'classic');
    this.currentClassic.set(checked.appId, token);
    return json({ access_token: token, expires_in: this.tokenTtlSeconds });
  }

  private customSend(query: URLSearchParams, body: unknown, parseFailed: boolean): SimResponse {
    const auth = this.authenticate(query);
    if ('errcode' in auth) return this.error(auth.errcode);
    const { appId } = auth;
    const at = this.now();
    const minuteKey = `${appId}:${Math.floor(at / 60_000)}`;
    const count = (this.minuteCounts.get(minuteKey) ?? 0) + 1;
    this.minuteCounts.set(minuteKey, count);
    if (count > this.sendsPerMinute) return this.error(45011);

    if (parseFailed) return this.error(47001);
    if (!isObject(body)) return this.error(44002);
    const msgtype = body.msgtype;
    if (typeof msgtype !== 'string' || !MSG_TYPES.has(msgtype) || !isObject(body[msgtype])) return this.error(40008);
    const content = body[msgtype] as Record<string, unknown>;
    if (msgtype === 'text' && typeof content.content !== 'string') return this.error(40008);
    if (msgtype === 'news' || msgtype === 'mpnews') {
      const articles = content.articles;
      if (msgtype === 'news' && (!Array.isArray(articles) || articles.length === 0)) return this.error(40008);
      if (Array.isArray(articles) && articles.length > 1) return this.error(45008);
    }
    if (msgtype === 'msgmenu' && !Array.isArray(content.list)) return this.error(40008);
    for (const field of ['media_id', 'thumb_media_id'] as const) {
      const needed = field === 'media_id' && ['image', 'voice', 'video', 'mpnews'].includes(msgtype);
      const id = content[field];
      if (id === undefined && !needed) continue;
      if (typeof id !== 'string' || !this.liveMedia(appId, id)) return this.error(40007);
    }

    const user = typeof body.touser === 'string' ? this.usersByKey.get(this.key(appId, body.touser)) : undefined;
    if (!user) return this.error(40003);
    if (!user.subscribed) return this.error(43004);
    const w = user.window;
    if (!w || at >= w.expiresAt) return this.error(45015);
    if (w.remaining <= 0) return this.error(45047);
    w.remaining -= 1;
    user.lastInteractionAt = at;
    delete user.typingUntil; // sending a message cancels typing (§6.2)
    this.sent.push({ appId, openid: user.openid, body, at });
    return json({ errcode: 0, errmsg: 'ok' });
  }

  private customTyping(query: URLSearchParams, body: unknown, parseFailed: boolean): SimResponse {
    const auth = this.authenticate(query);
    if ('errcode' in auth) return this.error(auth.errcode);
    if (parseFailed) return this.error(47001);
    if (!isObject(body)) return this.error(44002);
    const user = typeof body.touser === 'string' ? this.usersByKey.get(this.key(auth.appId, body.touser)) : undefined;
    if (!user) return this.error(40003);
    if (!user.subscribed) return this.error(43004);
    const command = body.command;
    if (command !== 'Typing' && command !== 'CancelTyping') return this.error(45072);
    const at = this.now();
    if (!user.window || at >= user.window.expiresAt) return this.error(45015);
    if (command === 'Typing') {
      if (user.lastInteractionAt === undefined || at - user.lastInteractionAt > TYPING_INTERACTION_MS)
        return this.error(45080);
      if (user.typingUntil !== undefined && at < user.typingUntil) return this.error(45081);
      user.typingUntil = at + TYPING_DURATION_MS;
    } else {
      delete user.typingUntil;
    }
    this.typing.push({ appId: auth.appId, openid: user.openid, command, at });
    return json({ errcode: 0, errmsg: 'ok' });
  }

  private async upload(req: SimRequest): Promise<SimResponse> {
    const auth = this.authenticate(req.query);
    if ('errcode' in auth) return this.error(auth.errcode);
    const type = req.query.get('type') ?? '';
    if (!Object.prototype.hasOwnProperty.call(MEDIA_LIMITS, type)) return this.error(40004);
    const mediaType = type as UploadMediaType;
    if (!/multipart\/form-data/i.test(req.contentType ?? '') || !req.body?.length) return this.error(41005);
    let file: File | string | null;
    try {
      const form = await new Response(new Uint8Array(req.body), {
        headers: { 'content-type': req.contentType ?? '' },
      }).formData();
      file = form.get('media');
    } catch {
      return this.error(41005);
    }
    if (!file || typeof file === 'string') return this.error(41005);
    const limit = MEDIA_LIMITS[mediaType];
    const filename = (file as File).name || '';
    const ext = filename.includes('.') ? filename.slice(filename.lastIndexOf('.') + 1).toLowerCase() : '';
    if (!limit.extensions.includes(ext)) return this.error(40005);
    const data = Buffer.from(await file.arrayBuffer());
    if (data.length > limit.maxBytes) return this.error(SIZE_ERRCODE[mediaType]);
    const mediaId = this.newMediaId();
    const at = this.now();
    this.mediaById.set(mediaId, {
      mediaId,
      appId: auth.appId,
      type: mediaType,
      data,
      contentType: file.type || 'application/octet-stream',
      filename,
      createdAt: at,
    });
    const idField = mediaType === 'thumb' ? 'thumb_media_id' : 'media_id';
    return json({ type: mediaType, [idField]: mediaId, created_at: Math.floor(at / 1000) });
  }

  private getMedia(req: SimRequest): SimResponse {
    const auth = this.authenticate(req.query);
    if ('errcode' in auth) return this.error(auth.errcode);
    const mediaId = req.query.get('media_id');
    if (!mediaId) return this.error(41006);
    const media = this.liveMedia(auth.appId, mediaId);
    if (!media) return this.error(40007);
    if (media.type === 'video') {
      return json({
        video_url: `${(req.baseUrl ?? '').replace(/\/+$/, '')}${SANDBOX_VIDEO_PATH}${encodeURIComponent(mediaId)}`,
      });
    }
    return this.bytes(media);
  }

  private videoDownload(path: string): SimResponse {
    const media = this.mediaById.get(decodeURIComponent(path.slice(SANDBOX_VIDEO_PATH.length)));
    if (!media || !this.liveMedia(media.appId, media.mediaId)) {
      return { kind: 'bytes', status: 404, headers: { 'content-type': 'text/plain' }, data: Buffer.from('not found') };
    }
    return this.bytes(media);
  }

  private userInfo(query: URLSearchParams): SimResponse {
    const auth = this.authenticate(query);
    if ('errcode' in auth) return this.error(auth.errcode);
    const user = this.usersByKey.get(this.key(auth.appId, query.get('openid') ?? ''));
    if (!user) return this.error(40003);
    if (!user.subscribed) return json({ subscribe: 0, openid: user.openid, tagid_list: [] });
    // §8: nickname, avatar, sex, city… are no longer returned.
    return json({
      subscribe: 1,
      openid: user.openid,
      subscribe_time: user.subscribeTime,
      ...(user.unionid !== undefined ? { unionid: user.unionid } : {}),
      remark: user.remark,
      groupid: 0,
      tagid_list: [],
      subscribe_scene: user.subscribeScene,
      qr_scene: 0,
      qr_scene_str: '',
    });
  }

  // -- helpers ----------------------------------------------------------------------------------------------------

  private error(errcode: number, errmsg?: string): SimResponse {
    return json({ errcode, errmsg: `${errmsg ?? ERRMSG[errcode] ?? 'error'} rid: ${hex(4)}-${hex(4)}` });
  }

  private bytes(media: StoredMedia): SimResponse {
    const ext = media.filename.includes('.') ? media.filename.slice(media.filename.lastIndexOf('.')) : '';
    return {
      kind: 'bytes',
      status: 200,
      headers: {
        'content-type': media.contentType,
        'content-disposition': `attachment; filename="${media.mediaId}${ext}"`,
      },
      data: media.data,
    };
  }

  private open(u: UserState, rule: { sends: number; durationMs: number }, at: number): void {
    const w = u.window;
    if (w && at < w.expiresAt) {
      u.window = {
        remaining: Math.max(w.remaining, rule.sends),
        expiresAt: Math.max(w.expiresAt, at + rule.durationMs),
      };
    } else {
      u.window = { remaining: rule.sends, expiresAt: at + rule.durationMs };
    }
  }

  private checkCredentials(appid: unknown, secret: unknown): { appId: string } | { errcode: number } {
    if (typeof appid !== 'string' || !appid) return { errcode: 41002 };
    const app = this.appsById.get(appid);
    if (app) this.fetches.set(appid, (this.fetches.get(appid) ?? 0) + 1);
    if (typeof secret !== 'string' || !secret) return { errcode: 41004 };
    if (!app) return { errcode: 40013 };
    if (secret !== app.secret) return { errcode: 40125 };
    return { appId: appid };
  }

  private authenticate(query: URLSearchParams): { appId: string } | { errcode: number } {
    const token = query.get('access_token');
    if (!token) return { errcode: 41001 };
    const t = this.tokens.get(token);
    if (!t || t.invalidated) return { errcode: 40001 };
    if (this.now() >= t.expiresAt) return { errcode: 42001 };
    return { appId: t.appId };
  }

  private issue(appId: string, kind: 'stable' | 'classic'): string {
    const token = `${kind === 'stable' ? 'ST' : 'AT'}_${randomBytes(48).toString('base64url')}`;
    this.tokens.set(token, { appId, kind, expiresAt: this.now() + this.tokenTtlSeconds * 1000, invalidated: false });
    return token;
  }

  private appOf(req: SimRequest, parsed: unknown): string | undefined {
    if (req.path === '/cgi-bin/stable_token') {
      const appid = isObject(parsed) ? parsed.appid : undefined;
      return typeof appid === 'string' && this.appsById.has(appid) ? appid : undefined;
    }
    if (req.path === '/cgi-bin/token') {
      const appid = req.query.get('appid') ?? '';
      return this.appsById.has(appid) ? appid : undefined;
    }
    if (req.path.startsWith(SANDBOX_VIDEO_PATH)) {
      return this.mediaById.get(decodeURIComponent(req.path.slice(SANDBOX_VIDEO_PATH.length)))?.appId;
    }
    return this.tokens.get(req.query.get('access_token') ?? '')?.appId;
  }

  private takeFault(appId: string, path: string): SimulatorFault | undefined {
    const f = this.faults.get(appId);
    if (!f || (f.paths && !f.paths.includes(path))) return undefined;
    if (f.times !== undefined) {
      f.times -= 1;
      if (f.times <= 0) this.faults.delete(appId);
    }
    return f;
  }

  private liveMedia(appId: string, mediaId: string): StoredMedia | undefined {
    const m = this.mediaById.get(mediaId);
    return m && m.appId === appId && this.now() - m.createdAt < MEDIA_TTL_MS ? m : undefined;
  }

  private newMediaId(): string {
    return randomBytes(24).toString('base64url');
  }

  private mustApp(appId: string): SandboxApp {
    const app = this.appsById.get(appId);
    if (!app) throw new Error(`no sandbox app ${appId}`);
    return app;
  }

  private mustUser(appId: string, openid: string): UserState {
    const u = this.usersByKey.get(this.key(appId, openid));
    if (!u) throw new Error(`no sandbox user ${openid}`);
    return u;
  }

  private key(appId: string, openid: string): string {
    return `${appId}\u0000${openid}`;
  }
}

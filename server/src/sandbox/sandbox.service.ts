import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type {
  CreateSandboxCustomerRequest,
  SandboxAccount,
  SandboxCustomer,
  SandboxDeliveryAttempt,
  SandboxEventRequest,
  SandboxFaultRequest,
  SandboxInbox,
  SandboxInboxItem,
  SandboxMessageRequest,
  SandboxPushResult,
} from '@inbox/shared';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AccountChanges } from '../accounts/account-changes';
import { AccountsRepository, type AccountConfigRow } from '../accounts/accounts.repository';
import { AccountsService, type Viewer } from '../accounts/accounts.service';
import { WechatApiClient } from '../channels/wechat/wechat-api.client';
import { WECHAT_ERRORS } from '../channels/wechat/wechat-errors';
import { AppError } from '../common/app-error';
import { UUID } from '../common/uuid';
import type { AppConfig } from '../config/config';
import { APP_CONFIG, LOGGER } from '../config/config.module';
import { SandboxRepository } from './sandbox.repository';
import { WechatApiSimulator } from './wechat-api.simulator';
import {
  SandboxPushError,
  WechatPushSimulator,
  type CustomerEvent,
  type CustomerMessage,
  type PushAccount,
  type PushRecord,
} from './wechat-push.simulator';

/** Where the API simulator is mounted on this server. */
export const SANDBOX_API_PREFIX = '/sandbox/wechat';
const SEND_PATH = '/cgi-bin/message/custom/send';
/** The send refusals the customer's phone shows as "WeChat would have refused this". */
const REFUSALS = new Set([45015, 45047, 43004]);
/** The API simulator's call and send logs are cut to this many entries so a long demo does not grow forever. */
const KEEP_LOG_ENTRIES = 20_000;

const NAMES = [
  '王芳',
  '李娜',
  '张伟',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄晓明',
  'Emma Li',
  'Oliver Wang',
  'Sophie Chen',
  'Lucas Zhang',
  'Mia Liu',
  'Noah Zhao',
];

function nameFor(openid: string): string {
  let h = 0;
  for (const ch of openid) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return NAMES[h % NAMES.length] ?? 'Customer';
}

/**
 * The built-in WeChat (only with SANDBOX=1): the API simulator that answers this server's WeChat calls under
 * `/sandbox/wechat`, the push simulator that plays customers writing to each account's callback URL, and the
 * rules of the control API. While it is on, every linked account is a sandbox app: the simulator's apps follow
 * `channel_accounts` (at start, on every account change, before each control call and each token request).
 * State lives in memory, per instance; at start the customers the inbox already knows come back, with the
 * window their open conversation had.
 */
@Injectable()
export class SandboxService implements OnModuleInit, OnModuleDestroy {
  readonly sim: WechatApiSimulator;
  readonly push: WechatPushSimulator;
  private clockOffsetMs = 0;
  private ownUrl: string;
  /** Display names by `appId\0openid`. */
  private readonly names = new Map<string, string>();
  /** Test seam: deliver an account's pushes somewhere else than its callback URL on this server. */
  private readonly callbackOverrides = new Map<string, string>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(AccountsRepository) private readonly accountsRepo: AccountsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(AccountChanges) private readonly changes: AccountChanges,
    @Inject(SandboxRepository) private readonly repo: SandboxRepository,
    @Inject(WechatApiClient) private readonly client: WechatApiClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const now = () => Date.now() + this.clockOffsetMs;
    this.sim = new WechatApiSimulator({ now });
    this.push = new WechatPushSimulator(this.sim, { now, mediaBaseUrl: () => this.apiBaseUrl() });
    // Until the server listens (port 0 is only known then), assume the configured port on loopback.
    this.ownUrl = `http://127.0.0.1:${config.port}`;
    this.pointClientHere();
  }

  async onModuleInit(): Promise<void> {
    this.unsubscribe = this.changes.subscribe((id) => {
      this.syncAccount(id).catch((err: unknown) =>
        this.logger.warn({ err, accountId: id }, 'sandbox could not follow an account change'),
      );
    });
    await this.syncApps({ restoreCustomers: true });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The server listens at `url` (e.g. http://127.0.0.1:41234): callbacks and, unless WECHAT_API_BASE says otherwise, API calls go there. */
  attach(url: string): void {
    this.ownUrl = url.replace(/\/+$/, '');
    this.pointClientHere();
  }

  apiBaseUrl(): string {
    return `${this.ownUrl}${SANDBOX_API_PREFIX}`;
  }

  /** Test seam: moves WeChat's clock (windows, tokens, CreateTime) forward. */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** Test seam: pushes of this account go to `url` (undefined: back to the callback URL on this server). */
  overrideCallbackUrl(accountId: string, url: string | undefined): void {
    if (url === undefined) this.callbackOverrides.delete(accountId);
    else this.callbackOverrides.set(accountId, url);
  }

  private pointClientHere(): void {
    if (!this.config.wechatApiBaseExplicit) this.client.setBaseUrl(this.apiBaseUrl());
  }

  // -- keeping the simulator's apps in step with channel_accounts -----------------------------------------------

  /** Upserts every linked account as a sandbox app; at start, also brings back the customers the inbox knows. */
  async syncApps(options: { restoreCustomers?: boolean } = {}): Promise<void> {
    const rows = await this.accountsRepo.list();
    for (const row of rows) this.upsertApp(row);
    if (!options.restoreCustomers) return;
    const appIds = new Map(rows.map((r) => [r.id, r.app_id]));
    const now = this.sim.now();
    for (const c of await this.repo.knownContacts([...appIds.keys()])) {
      const appId = appIds.get(c.account_id);
      if (!appId || !this.sim.app(appId) || this.sim.user(appId, c.openid)) continue;
      this.sim.addUser(appId, { openid: c.openid, subscribed: c.subscribed });
      const closes = c.window_closes_at?.getTime();
      if (c.subscribed && closes !== undefined && closes > now && (c.sends_left ?? 0) > 0) {
        this.sim.setWindow(appId, c.openid, { remaining: c.sends_left ?? 0, expiresAt: closes });
      }
    }
  }

  /** Before a token request: an app WeChat would know but the simulator does not yet (a new account). */
  async ensureApp(appId: string | undefined): Promise<void> {
    if (appId && !this.sim.app(appId)) await this.syncApps();
  }

  private async syncAccount(accountId: string): Promise<void> {
    const row = await this.accountsRepo.findConfig(accountId);
    if (row) this.upsertApp(row);
  }

  private upsertApp(row: AccountConfigRow): void {
    try {
      const c = this.accounts.openCredentials(row);
      this.sim.upsertApp({ appId: row.app_id, secret: c.appSecret, originalId: row.original_id });
    } catch (err) {
      this.logger.warn({ err, accountId: row.id }, 'sandbox could not read the credentials of an account');
    }
  }

  /** A linked account as a push target, brought into the simulator first. */
  private async target(accountId: string): Promise<{ row: AccountConfigRow; push: PushAccount }> {
    const row = UUID.test(accountId) ? await this.accountsRepo.findConfig(accountId) : undefined;
    if (!row) throw new AppError('accounts/not_found', 'No such account');
    this.upsertApp(row);
    const c = this.accounts.openCredentials(row);
    return {
      row,
      push: {
        accountId: row.id,
        appId: row.app_id,
        originalId: row.original_id,
        mode: row.mode,
        token: c.token,
        ...(c.encodingAesKey ? { encodingAesKey: c.encodingAesKey } : {}),
        callbackUrl: this.callbackUrl(row.id),
      },
    };
  }

  private callbackUrl(accountId: string): string {
    return this.callbackOverrides.get(accountId) ?? `${this.ownUrl}/webhooks/wechat/${accountId}`;
  }

  // -- the control API --------------------------------------------------------------------------------------------

  /** Playing an account's customers needs the same access as reading its conversations. */
  async assertCanSee(viewer: Viewer, accountId: string): Promise<void> {
    await this.accounts.assertCanSee(viewer, accountId);
  }

  async listAccounts(viewer?: Viewer): Promise<SandboxAccount[]> {
    const rows = viewer
      ? await this.accountsRepo.list(await this.accounts.visibleAccountIds(viewer))
      : await this.accountsRepo.list();
    return rows.map((row) => {
      this.upsertApp(row);
      return {
        id: row.id,
        name: row.name,
        appId: row.app_id,
        originalId: row.original_id,
        mode: row.mode,
        status: row.status,
        callbackUrl: this.callbackUrl(row.id),
        customers: this.sim.users(row.app_id).length,
      };
    });
  }

  async listCustomers(accountId: string): Promise<SandboxCustomer[]> {
    const { row } = await this.target(accountId);
    return this.sim.users(row.app_id).map((u) => this.customer(row.app_id, u.openid, u.subscribed));
  }

  /** A new simulated customer; an existing openid is answered as it is (its name updated when one is given). */
  async createCustomer(accountId: string, req: CreateSandboxCustomerRequest): Promise<SandboxCustomer> {
    const { row } = await this.target(accountId);
    const appId = row.app_id;
    const openid = req.openid ?? `o${randomBytes(20).toString('base64url').slice(0, 27)}`;
    if (!this.sim.user(appId, openid)) {
      this.sim.addUser(appId, { openid, subscribed: req.subscribed ?? true, subscribeScene: 'ADD_SCENE_SEARCH' });
    }
    if (req.displayName !== undefined) this.names.set(this.key(appId, openid), req.displayName);
    return this.customerOrFail(appId, openid);
  }

  async sendMessage(accountId: string, openid: string, req: SandboxMessageRequest): Promise<SandboxPushResult> {
    const { push } = await this.target(accountId);
    this.customerOrFail(push.appId, openid);
    const record = await this.pushing(() => this.push.sendMessage(push, openid, toCustomerMessage(req)));
    return toPushResult(record);
  }

  async sendEvent(accountId: string, openid: string, req: SandboxEventRequest): Promise<SandboxPushResult> {
    const { push } = await this.target(accountId);
    this.customerOrFail(push.appId, openid);
    const record = await this.pushing(() => this.push.sendEvent(push, openid, toCustomerEvent(req)));
    return toPushResult(record);
  }

  /** The customer's phone: what they sent, what they received through the API, and what WeChat refused. */
  async inbox(accountId: string, openid: string): Promise<SandboxInbox> {
    const { row } = await this.target(accountId);
    const appId = row.app_id;
    const customer = this.customerOrFail(appId, openid);
    const items: Array<SandboxInboxItem & { ms: number }> = [];
    for (const p of this.push.pushes({ appId, openid })) {
      items.push({
        kind: 'customer',
        ms: p.attempts[0]?.at ?? p.createTime * 1000,
        at: new Date(p.attempts[0]?.at ?? p.createTime * 1000).toISOString(),
        pushId: p.id,
        msgType: p.msgType,
        ...(p.event !== undefined ? { event: p.event } : {}),
        summary: summarize(p),
        delivered: p.delivered,
        attempts: p.attempts.length,
      });
    }
    for (const s of this.sim.sent) {
      if (s.appId !== appId || s.openid !== openid) continue;
      items.push({ kind: 'received', ms: s.at, at: iso(s.at), ...describeSend(s.body), message: s.body });
    }
    for (const call of this.sim.calls) {
      if (call.path !== SEND_PATH || call.appId !== appId || call.errcode === null || !REFUSALS.has(call.errcode)) {
        continue;
      }
      const body = call.body;
      if (!isObject(body) || body.touser !== openid) continue;
      items.push({
        kind: 'refused',
        ms: call.at,
        at: iso(call.at),
        ...describeSend(body),
        message: body,
        refusal: {
          errcode: call.errcode,
          errmsg: WECHAT_ERRMSG[call.errcode] ?? 'refused',
          reason: WECHAT_ERRORS[call.errcode]?.reason.en ?? 'WeChat refused this message',
        },
      });
    }
    items.sort((a, b) => a.ms - b.ms);
    return { accountId: row.id, customer, items: items.map(({ ms: _ms, ...item }) => item) };
  }

  async setFault(accountId: string, req: SandboxFaultRequest): Promise<void> {
    const { row } = await this.target(accountId);
    const appId = row.app_id;
    if (req.expireTokens) this.sim.expireTokens(appId);
    if (req.invalidateTokens) this.sim.invalidateTokens(appId);
    const misbehaves =
      req.latencyMs !== undefined ||
      req.errcode !== undefined ||
      req.httpStatus !== undefined ||
      req.dropConnection !== undefined;
    if (!misbehaves) return;
    this.sim.setFault(appId, {
      ...(req.latencyMs !== undefined ? { latencyMs: req.latencyMs } : {}),
      ...(req.errcode !== undefined ? { errcode: req.errcode } : {}),
      ...(req.errmsg !== undefined ? { errmsg: req.errmsg } : {}),
      ...(req.httpStatus !== undefined ? { httpStatus: req.httpStatus } : {}),
      ...(req.dropConnection !== undefined ? { dropConnection: req.dropConnection } : {}),
      ...(req.times !== undefined ? { times: req.times } : {}),
      ...(req.paths !== undefined ? { paths: req.paths } : {}),
    });
  }

  async clearFault(accountId: string): Promise<void> {
    const { row } = await this.target(accountId);
    this.sim.clearFault(row.app_id);
  }

  // -- helpers ----------------------------------------------------------------------------------------------------

  private async pushing(run: () => Promise<PushRecord>): Promise<PushRecord> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof SandboxPushError && err.reason === 'not_following') {
        throw new AppError('validation/failed', err.message, { openid: ['the customer does not follow this account'] });
      }
      throw err;
    } finally {
      this.trimLogs();
    }
  }

  private trimLogs(): void {
    for (const log of [this.sim.calls, this.sim.sent, this.sim.typing] as unknown[][]) {
      if (log.length > KEEP_LOG_ENTRIES) log.splice(0, log.length - KEEP_LOG_ENTRIES);
    }
  }

  private customerOrFail(appId: string, openid: string): SandboxCustomer {
    const user = this.sim.user(appId, openid);
    if (!user) throw new AppError('http/not_found', 'No such sandbox customer');
    return this.customer(appId, openid, user.subscribed);
  }

  private customer(appId: string, openid: string, subscribed: boolean): SandboxCustomer {
    const w = this.sim.window(appId, openid);
    return {
      openid,
      displayName: this.names.get(this.key(appId, openid)) ?? nameFor(openid),
      subscribed,
      window: w ? { remaining: w.remaining, expiresAt: iso(w.expiresAt) } : null,
    };
  }

  private key(appId: string, openid: string): string {
    return `${appId}\u0000${openid}`;
  }
}

const WECHAT_ERRMSG: Record<number, string> = {
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  43004: 'require subscribe',
};

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** msgtype and, for text, the text of a customer-service message body. */
function describeSend(body: Record<string, unknown>): { msgtype: string; text: string | null } {
  const msgtype = typeof body.msgtype === 'string' ? body.msgtype : 'unknown';
  const content = msgtype === 'text' && isObject(body.text) ? body.text.content : undefined;
  return { msgtype, text: typeof content === 'string' ? content : null };
}

function summarize(p: PushRecord): string {
  const f = p.fields;
  switch (p.msgType) {
    case 'text':
      return String(f.Content ?? '');
    case 'location':
      return `[location] ${String(f.Label ?? '') || `${String(f.Location_X)}, ${String(f.Location_Y)}`}`;
    case 'link':
      return `[link] ${String(f.Title ?? '')}`;
    case 'event':
      return `[event] ${[p.event, f.EventKey].filter((x) => x !== undefined && x !== '').join(' ')}`;
    default:
      return `[${p.msgType}]`;
  }
}

function toPushResult(r: PushRecord): SandboxPushResult {
  const attempts: SandboxDeliveryAttempt[] = r.attempts.map((a) => ({
    attempt: a.attempt,
    at: iso(a.at),
    status: a.status,
    body: a.body,
    ms: a.ms,
    outcome: a.outcome,
  }));
  return {
    id: r.id,
    accountId: r.accountId ?? '',
    openid: r.openid,
    msgType: r.msgType,
    ...(r.event !== undefined ? { event: r.event } : {}),
    ...(r.msgId !== undefined ? { msgId: r.msgId } : {}),
    createTime: r.createTime,
    delivered: r.delivered,
    attempts,
  };
}

function missing(field: string, what: string): AppError {
  return new AppError('validation/failed', `${field} is required ${what}`, { [field]: [`required ${what}`] });
}

/** The flat request (validated by the DTO) as the push simulator's message. */
export function toCustomerMessage(req: SandboxMessageRequest): CustomerMessage {
  switch (req.type) {
    case 'text':
      if (req.text === undefined) throw missing('text', 'for a text message');
      return { type: 'text', text: req.text };
    case 'image':
      return { type: 'image' };
    case 'voice':
      return { type: 'voice', ...(req.recognition !== undefined ? { recognition: req.recognition } : {}) };
    case 'video':
      return { type: 'video' };
    case 'location':
      if (req.latitude === undefined) throw missing('latitude', 'for a location');
      if (req.longitude === undefined) throw missing('longitude', 'for a location');
      return {
        type: 'location',
        latitude: req.latitude,
        longitude: req.longitude,
        ...(req.scale !== undefined ? { scale: req.scale } : {}),
        ...(req.label !== undefined ? { label: req.label } : {}),
      };
    case 'link':
      if (req.title === undefined) throw missing('title', 'for a link');
      if (req.url === undefined) throw missing('url', 'for a link');
      return {
        type: 'link',
        title: req.title,
        url: req.url,
        ...(req.description !== undefined ? { description: req.description } : {}),
      };
  }
}

export function toCustomerEvent(req: SandboxEventRequest): CustomerEvent {
  switch (req.event) {
    case 'subscribe':
      return { event: 'subscribe', ...(req.eventKey !== undefined ? { scene: req.eventKey } : {}) };
    case 'unsubscribe':
      return { event: 'unsubscribe' };
    case 'SCAN':
      if (req.eventKey === undefined) throw missing('eventKey', 'for SCAN (the QR scene)');
      return { event: 'SCAN', scene: req.eventKey };
    case 'CLICK':
      if (req.eventKey === undefined) throw missing('eventKey', 'for CLICK (the menu key)');
      return { event: 'CLICK', key: req.eventKey };
    case 'VIEW':
      if (req.eventKey === undefined) throw missing('eventKey', 'for VIEW (the URL)');
      return { event: 'VIEW', url: req.eventKey };
    case 'LOCATION':
      if (req.latitude === undefined) throw missing('latitude', 'for LOCATION');
      if (req.longitude === undefined) throw missing('longitude', 'for LOCATION');
      return {
        event: 'LOCATION',
        latitude: req.latitude,
        longitude: req.longitude,
        ...(req.precision !== undefined ? { precision: req.precision } : {}),
      };
  }
}

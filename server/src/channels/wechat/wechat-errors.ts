/**
 * What each WeChat `errcode` means for us (protocol doc §5.3, §6.2, §6.4, §7, §10), and the one error
 * type the WeChat API client throws.
 *
 * `kind` drives the reaction:
 * - `token`: the access token is invalid/expired → invalidate it, fetch once, retry once (§5.3);
 * - `credentials`: AppID/AppSecret/IP whitelist refused → mark the account "credentials broken", no retry loop;
 * - `transient`: try again later with backoff (system busy, per-minute limit, network trouble, HTTP 5xx);
 * - `permanent`: retrying the same request will not help; show the reason to the agent.
 *
 * `reason` is written for an agent or admin, not for a developer, in both console languages.
 */

export type WechatErrorKind = 'token' | 'credentials' | 'transient' | 'permanent';

export interface LocalizedReason {
  en: string;
  'zh-CN': string;
}

export interface WechatErrorInfo {
  kind: WechatErrorKind;
  reason: LocalizedReason;
}

const e = (kind: WechatErrorKind, en: string, zh: string): WechatErrorInfo => ({ kind, reason: { en, 'zh-CN': zh } });

/** Every errcode named in the protocol doc, plus the media/request-format codes of WeChat's global code list. */
export const WECHAT_ERRORS: Readonly<Record<number, WechatErrorInfo>> = Object.freeze({
  // §5.3 / §6.4: system busy.
  [-1]: e('transient', 'WeChat is busy right now; the request will be retried shortly', '微信系统繁忙，稍后会自动重试'),

  // §5.3: the access token.
  40001: e(
    'token',
    'WeChat rejected the access token (invalid or replaced); a new one is being fetched',
    '微信拒绝了访问令牌（已失效或已被替换），正在重新获取',
  ),
  40014: e(
    'token',
    'WeChat says the access token is invalid; a new one is being fetched',
    '微信提示访问令牌无效，正在重新获取',
  ),
  42001: e('token', 'The access token has expired; a new one is being fetched', '访问令牌已过期，正在重新获取'),
  41001: e(
    'permanent',
    'The request reached WeChat without an access token (a bug in this server)',
    '请求未携带访问令牌（本系统的程序错误）',
  ),

  // §5.1 / §5.3: credentials refused when fetching a token.
  40013: e(
    'credentials',
    'WeChat does not recognise this AppID; check the account settings',
    '微信无法识别该 AppID，请检查账号设置',
  ),
  40125: e(
    'credentials',
    'The AppSecret is wrong; an admin must enter the current one',
    'AppSecret 不正确，需要管理员填写最新的 AppSecret',
  ),
  40164: e(
    'credentials',
    "This server's IP address is not on the Official Account's IP whitelist",
    '本服务器的 IP 地址不在公众号的 IP 白名单中',
  ),
  40243: e(
    'credentials',
    'The AppSecret has been frozen by WeChat; an admin must unfreeze or reset it',
    'AppSecret 已被微信冻结，需要管理员解冻或重置',
  ),

  // §6.4: sending customer-service messages.
  45015: e(
    'permanent',
    'The 48-hour reply window has closed or the customer unfollowed',
    '48 小时回复窗口已关闭，或客户已取消关注',
  ),
  45047: e(
    'permanent',
    'No replies left in this window; wait for the customer to write again',
    '本次窗口内可发送的回复条数已用完，请等待客户再次发消息',
  ),
  43004: e('permanent', 'The customer does not follow this Official Account', '客户未关注该公众号'),
  40003: e(
    'permanent',
    'This customer ID (openid) does not belong to this Official Account',
    '该客户 ID（openid）不属于这个公众号',
  ),
  48001: e(
    'permanent',
    'This Official Account is not allowed to use customer-service messages (it must be a certified, non-personal account)',
    '该公众号没有客服消息接口权限（需为已认证的非个人账号）',
  ),
  45009: e(
    'permanent',
    "The Official Account has used up today's WeChat API quota; an admin can reset it",
    '该公众号今日的微信接口调用次数已用完，管理员可以清零额度',
  ),
  45011: e(
    'transient',
    'Too many requests to WeChat this minute; it will be retried next minute',
    '本分钟内对微信的请求过多，将在下一分钟重试',
  ),
  40007: e(
    'permanent',
    'The attachment has expired (older than 3 days) or belongs to another account; upload it again',
    '附件已过期（超过 3 天）或属于其他账号，请重新上传',
  ),
  45008: e('permanent', 'A link card may contain only one article', '图文消息只能包含一篇文章'),
  45002: e('permanent', 'The message is too long for WeChat', '消息内容超过微信的长度限制'),
  40008: e('permanent', 'WeChat does not accept this kind of message', '微信不支持这种消息类型'),
  40033: e('permanent', 'The message contains characters WeChat does not accept', '消息中包含微信不接受的字符'),

  // §6.2: typing indicator.
  45080: e(
    'permanent',
    'The typing indicator can only be shown within 30 seconds of a message exchange',
    '只有在与客户消息往来后的 30 秒内才能显示“正在输入”',
  ),
  45081: e(
    'permanent',
    'The typing indicator is already showing (it lasts 15 seconds)',
    '“正在输入”状态已在显示中（持续 15 秒）',
  ),
  45072: e('permanent', 'Invalid typing command', '“正在输入”指令无效'),

  // WeChat's global code list: request and media checks (the sandbox answers with these too).
  40002: e(
    'permanent',
    'Invalid grant type in the token request (a bug in this server)',
    '获取令牌的 grant_type 不正确（本系统的程序错误）',
  ),
  41002: e('permanent', 'The AppID is missing from the token request', '获取令牌的请求缺少 AppID'),
  41004: e('permanent', 'The AppSecret is missing from the token request', '获取令牌的请求缺少 AppSecret'),
  41005: e('permanent', 'The file to upload is missing', '缺少要上传的文件'),
  41006: e('permanent', 'The attachment ID (media_id) is missing', '缺少附件 ID（media_id）'),
  44002: e(
    'permanent',
    'The request to WeChat was empty (a bug in this server)',
    '发送给微信的请求内容为空（本系统的程序错误）',
  ),
  47001: e(
    'permanent',
    'WeChat could not read the request (a bug in this server)',
    '微信无法解析请求内容（本系统的程序错误）',
  ),
  40004: e('permanent', 'WeChat does not accept this kind of attachment', '微信不支持这种附件类型'),
  40005: e('permanent', 'WeChat does not accept this file format', '微信不支持这种文件格式'),
  40006: e('permanent', 'The file is too large for WeChat', '文件超过微信的大小限制'),
  40009: e('permanent', 'The image is too large for WeChat (2 MB at most)', '图片超过微信的大小限制（最大 2 MB）'),
  40010: e(
    'permanent',
    'The voice file is too large for WeChat (2 MB at most)',
    '语音文件超过微信的大小限制（最大 2 MB）',
  ),
  40011: e('permanent', 'The video is too large for WeChat (10 MB at most)', '视频超过微信的大小限制（最大 10 MB）'),
  40012: e(
    'permanent',
    'The thumbnail is too large for WeChat (64 KB at most)',
    '缩略图超过微信的大小限制（最大 64 KB）',
  ),
});

/** Kind and plain-words reason for an errcode; unknown codes are permanent, with the code and WeChat's text. */
export function classifyWechatError(errcode: number, errmsg?: string): WechatErrorInfo {
  const known = WECHAT_ERRORS[errcode];
  if (known) return known;
  const said = errmsg ? `: ${errmsg}` : '';
  return e(
    'permanent',
    `WeChat refused the request (error ${errcode}${said})`,
    `微信拒绝了该请求（错误码 ${errcode}${said}）`,
  );
}

/**
 * How a call failed when WeChat gave no errcode: `timeout` (no answer in time), `network` (connection refused,
 * reset or dropped), `http_status` (HTTP 5xx or other non-2xx), `bad_response` (a 2xx body that is not WeChat's JSON).
 */
export type WechatTransportFailure = 'timeout' | 'network' | 'http_status' | 'bad_response';

const TRANSPORT_REASONS: Record<WechatTransportFailure, LocalizedReason> = {
  timeout: {
    en: 'WeChat did not answer in time; it will be retried',
    'zh-CN': '微信未及时响应，将会重试',
  },
  network: {
    en: 'Could not reach WeChat (network problem); it will be retried',
    'zh-CN': '无法连接微信（网络问题），将会重试',
  },
  http_status: {
    en: 'WeChat answered with a server error; it will be retried',
    'zh-CN': '微信服务器返回错误，将会重试',
  },
  bad_response: {
    en: 'WeChat sent an unreadable answer; it will be retried',
    'zh-CN': '微信返回了无法识别的内容，将会重试',
  },
};

export interface WechatApiErrorOptions {
  /** Defaults to the classification of `errcode`. */
  kind?: WechatErrorKind;
  reason?: LocalizedReason;
  /** The API path, e.g. `/cgi-bin/message/custom/send` (never the query: it holds the access token). */
  api?: string;
  transport?: WechatTransportFailure;
  httpStatus?: number;
  /**
   * True when WeChat may have acted on the request although we did not get its answer (timeout, dropped
   * connection, HTTP 5xx). The custom-send API has no idempotency key, so such a send must not be blindly
   * retried (§6.4): show "maybe sent".
   */
  maybeDelivered?: boolean;
}

/**
 * A failed WeChat API call. `errcode` is WeChat's code, or null when WeChat gave none (see `transport`).
 * The message names the API path and code; it never contains an access token or secret.
 */
export class WechatApiError extends Error {
  readonly kind: WechatErrorKind;
  readonly reason: LocalizedReason;
  readonly api: string | undefined;
  readonly transport: WechatTransportFailure | undefined;
  readonly httpStatus: number | undefined;
  readonly maybeDelivered: boolean;

  constructor(
    readonly errcode: number | null,
    readonly errmsg: string,
    options: WechatApiErrorOptions = {},
  ) {
    const info =
      errcode === null
        ? { kind: 'transient' as const, reason: TRANSPORT_REASONS[options.transport ?? 'network'] }
        : classifyWechatError(errcode, errmsg);
    const what = errcode === null ? (options.transport ?? 'network') : `errcode ${errcode}`;
    const where = options.api ? `WeChat API ${options.api}` : 'WeChat API call';
    super(`${where} failed: ${what}${errmsg ? ` (${errmsg})` : ''}`);
    this.name = 'WechatApiError';
    this.kind = options.kind ?? info.kind;
    this.reason = options.reason ?? info.reason;
    this.api = options.api;
    this.transport = options.transport;
    this.httpStatus = options.httpStatus;
    this.maybeDelivered = options.maybeDelivered ?? false;
  }
}

/** A failure without a WeChat errcode: always transient. */
export function wechatTransportError(
  transport: WechatTransportFailure,
  detail: string,
  options: { api?: string; httpStatus?: number; maybeDelivered: boolean },
): WechatApiError {
  return new WechatApiError(null, detail, { ...options, transport, kind: 'transient' });
}

export function isWechatApiError(err: unknown, kind?: WechatErrorKind): err is WechatApiError {
  return err instanceof WechatApiError && (kind === undefined || err.kind === kind);
}

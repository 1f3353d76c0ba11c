import {
  classifyWechatError,
  WECHAT_ERRORS,
  WechatApiError,
  wechatTransportError,
  type WechatErrorKind,
} from './wechat-errors';

/** Written from the protocol doc: §5.3 (tokens, credentials, -1, quotas), §6.4 (sending), §6.2 (typing). */
const FROM_THE_DOC: Array<[number, WechatErrorKind]> = [
  // §5.3
  [40001, 'token'],
  [40014, 'token'],
  [42001, 'token'],
  [41001, 'permanent'], // "bug"
  [40013, 'credentials'],
  [40125, 'credentials'],
  [40243, 'credentials'],
  [40164, 'credentials'],
  [-1, 'transient'],
  [45009, 'permanent'], // daily quota: stop
  [45011, 'transient'], // per-minute: back off to next minute
  // §6.4
  [45015, 'permanent'],
  [45047, 'permanent'],
  [43004, 'permanent'],
  [40003, 'permanent'],
  [48001, 'permanent'],
  [40007, 'permanent'],
  [45008, 'permanent'],
  [45002, 'permanent'],
  [40008, 'permanent'],
  // §6.2
  [45080, 'permanent'],
  [45081, 'permanent'],
  [45072, 'permanent'],
];

const HAN = /\p{Script=Han}/u;

describe('WeChat error classification', () => {
  it.each(FROM_THE_DOC)('classifies %i as %s', (code, kind) => {
    expect(classifyWechatError(code).kind).toBe(kind);
    expect(new WechatApiError(code, 'x').kind).toBe(kind);
  });

  it('has every code of the doc in its table', () => {
    for (const [code] of FROM_THE_DOC) expect(WECHAT_ERRORS[code]).toBeDefined();
  });

  it('explains every code in English and Chinese, in different words per code', () => {
    const en = new Set<string>();
    for (const [code, info] of Object.entries(WECHAT_ERRORS)) {
      expect(info.reason.en.length).toBeGreaterThan(10);
      expect(info.reason.en).not.toMatch(HAN);
      expect(info.reason['zh-CN']).toMatch(HAN);
      expect(en.has(info.reason.en)).toBe(false);
      en.add(info.reason.en);
      expect(code).toMatch(/^-?\d+$/);
    }
  });

  it('tells the agent what 45015 and 45047 mean for the conversation', () => {
    const closed = classifyWechatError(45015).reason;
    expect(closed.en).toMatch(/48-hour/);
    expect(closed.en).toMatch(/unfollow/);
    expect(closed['zh-CN']).toContain('48 小时');
    expect(closed['zh-CN']).toContain('取消关注');
    expect(classifyWechatError(45047).reason.en).toMatch(/no replies left/i);
  });

  it('treats an unknown code as permanent, naming the code and WeChat’s words in both languages', () => {
    const info = classifyWechatError(61234, 'some new error');
    expect(info.kind).toBe('permanent');
    expect(info.reason.en).toContain('61234');
    expect(info.reason.en).toContain('some new error');
    expect(info.reason['zh-CN']).toContain('61234');
    expect(info.reason['zh-CN']).toContain('some new error');
    expect(classifyWechatError(61234).reason.en).toContain('61234');
  });

  it('makes network failures, timeouts and HTTP 5xx transient', () => {
    for (const transport of ['timeout', 'network', 'http_status', 'bad_response'] as const) {
      const err = wechatTransportError(transport, 'detail', {
        api: '/cgi-bin/x',
        maybeDelivered: true,
        httpStatus: 503,
      });
      expect(err).toBeInstanceOf(WechatApiError);
      expect(err).toBeInstanceOf(Error);
      expect(err.kind).toBe('transient');
      expect(err.errcode).toBeNull();
      expect(err.transport).toBe(transport);
      expect(err.reason.en).toBeTruthy();
      expect(err.reason['zh-CN']).toMatch(HAN);
    }
  });

  it('names the API path and code in its message', () => {
    const err = new WechatApiError(45015, 'response out of time limit', { api: '/cgi-bin/message/custom/send' });
    expect(err.name).toBe('WechatApiError');
    expect(err.message).toContain('/cgi-bin/message/custom/send');
    expect(err.message).toContain('45015');
    expect(err.maybeDelivered).toBe(false);
  });

  it('lets a caller override the kind (40001 while fetching a token means a wrong secret)', () => {
    const err = new WechatApiError(40001, 'invalid credential', { kind: 'credentials' });
    expect(err.kind).toBe('credentials');
  });
});

/**
 * The one catalogue of error codes. Every error answer of the API is
 * `{statusCode, code, message}` with `code` from this table; the console translates by code.
 */
export const ERROR_CODES = {
  'validation/failed': 400,
  'http/bad_request': 400,
  'http/not_found': 404,
  'http/method_not_allowed': 405,
  'http/payload_too_large': 413,
  'http/unsupported_media_type': 415,
  'http/internal': 500,
  'http/unavailable': 503,
  'auth/unauthenticated': 401,
  'auth/invalid_credentials': 401,
  'auth/totp_required': 401,
  'auth/totp_invalid': 401,
  'auth/throttled': 429,
  'auth/forbidden': 403,
  'auth/origin_forbidden': 403,
  'auth/user_disabled': 403,
  'auth/weak_password': 400,
  'auth/wrong_password': 403,
  'auth/totp_enrolment_required': 403,
  'auth/totp_already_enabled': 409,
  'auth/totp_not_enabled': 409,
  'auth/totp_setup_missing': 409,
  'sessions/not_found': 404,
  'users/cannot_change_self': 409,
  'users/email_taken': 409,
  'users/not_found': 404,
  'accounts/not_found': 404,
  'accounts/app_id_taken': 409,
  'conversations/not_found': 404,
  'messages/not_found': 404,
  'teams/not_found': 404,
  'teams/name_taken': 409,
  'labels/not_found': 404,
  'labels/name_taken': 409,
  'canned_responses/not_found': 404,
  'uploads/not_found': 404,
  'wechat/bad_signature': 401,
  'wechat/appid_mismatch': 400,
  'wechat/bad_padding': 400,
  'wechat/bad_length': 400,
  'wechat/bad_key': 500,
  'wechat/malformed_xml': 400,
  'wechat/doctype_forbidden': 400,
  'wechat/body_too_large': 413,
  'wechat/unknown_account': 404,
  'wechat/account_disabled': 403,
  'wechat/window_closed': 409,
  'wechat/quota_exhausted': 409,
  'wechat/media_too_large': 400,
  'wechat/media_type': 400,
  'db/unavailable': 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ApiErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  /** For `validation/failed`: the offending fields and what is wrong with each. */
  fields?: Record<string, string[]>;
}

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

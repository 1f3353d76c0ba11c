import type {
  ChangePasswordRequest,
  LoginRequest,
  LoginResponse,
  Me,
  PasswordConfirmRequest,
  RecoveryCodesResponse,
  RevokedSessions,
  SessionInfo,
  TotpEnableRequest,
  TotpSetupResponse,
} from '@inbox/shared';
import { request } from './http';

export function login(body: LoginRequest): Promise<LoginResponse> {
  return request<LoginResponse>('POST', '/api/auth/login', body);
}

export function logout(): Promise<void> {
  return request<void>('POST', '/api/auth/logout');
}

export function me(): Promise<Me> {
  return request<Me>('GET', '/api/auth/me');
}

/** 403 `auth/wrong_password` (fields.currentPassword); 400 `auth/weak_password` (fields.newPassword). */
export function changePassword(body: ChangePasswordRequest): Promise<void> {
  return request<void>('POST', '/api/auth/password', body);
}

export function listSessions(): Promise<SessionInfo[]> {
  return request<SessionInfo[]>('GET', '/api/auth/sessions');
}

export function revokeSession(id: string): Promise<void> {
  return request<void>('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`);
}

/** Log out everywhere else. */
export function revokeOtherSessions(): Promise<RevokedSessions> {
  return request<RevokedSessions>('POST', '/api/auth/sessions/revoke-others');
}

export function totpSetup(): Promise<TotpSetupResponse> {
  return request<TotpSetupResponse>('POST', '/api/auth/totp/setup');
}

/** 401 `auth/totp_invalid`; 409 `auth/totp_setup_missing` or `auth/totp_already_enabled`. */
export function totpEnable(body: TotpEnableRequest): Promise<RecoveryCodesResponse> {
  return request<RecoveryCodesResponse>('POST', '/api/auth/totp/enable', body);
}

export function totpDisable(body: PasswordConfirmRequest): Promise<void> {
  return request<void>('POST', '/api/auth/totp/disable', body);
}

export function regenerateRecoveryCodes(body: PasswordConfirmRequest): Promise<RecoveryCodesResponse> {
  return request<RecoveryCodesResponse>('POST', '/api/auth/totp/recovery-codes', body);
}

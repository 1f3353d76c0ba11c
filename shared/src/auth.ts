export const ROLES = ['admin', 'manager', 'supervisor', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export interface LoginRequest {
  email: string;
  password: string;
  /** A TOTP code or a recovery code, when the account has a second factor. */
  totp?: string;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  role: Role;
  accountIds: string[];
  /** The user has a second factor (TOTP) enrolled. (Always sent by the server.) */
  totpEnabled?: boolean;
  /**
   * The 2FA policy requires a second factor for this role and none is enrolled: the session can
   * only reach `/api/auth/me`, `/api/auth/logout` and the TOTP enrolment endpoints until it is.
   * (Always sent by the server.)
   */
  totpEnrolmentRequired?: boolean;
}

export interface LoginResponse {
  user: Me;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** `POST /api/auth/totp/setup`: a fresh seed to enrol, pending until `enable` confirms a code. */
export interface TotpSetupResponse {
  /** Base32 seed, for typing into an authenticator app by hand. */
  secret: string;
  /** `otpauth://totp/…` URI, what the QR code encodes. */
  otpauthUri: string;
  /** The QR code as a `data:image/png;base64,…` URL. */
  qrDataUrl: string;
}

export interface TotpEnableRequest {
  code: string;
}

/** The 10 one-time recovery codes, shown once; only their hashes are stored. */
export interface RecoveryCodesResponse {
  recoveryCodes: string[];
}

/** Turning 2FA off or making new recovery codes needs the current password. */
export interface PasswordConfirmRequest {
  password: string;
}

/** One of my live sessions (`GET /api/auth/sessions`). */
export interface SessionInfo {
  id: string;
  /** A short description of the browser and system, from the user agent. */
  device: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  /** The session of this request. */
  current: boolean;
}

export interface RevokedSessions {
  revoked: number;
}

/** `GET|PUT /api/settings/security` (admin). */
export interface SecuritySettings {
  /** Users of these roles must enrol TOTP; without it they get a session restricted to enrolment. */
  totpRequiredRoles: Role[];
  /** At most this many live sessions per user (the oldest are revoked); null = no limit. */
  maxSessionsPerUser: number | null;
}

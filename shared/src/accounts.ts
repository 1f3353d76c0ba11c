export const ACCOUNT_MODES = ['plaintext', 'compatible', 'safe'] as const;
export type AccountMode = (typeof ACCOUNT_MODES)[number];
export type AccountKind = 'wechat_oa';
export type AccountStatus = 'active' | 'disabled';

export interface CreateAccountRequest {
  kind: AccountKind;
  name: string;
  appId: string;
  appSecret: string;
  token: string;
  encodingAesKey?: string;
  mode: AccountMode;
  originalId: string;
}

/** Every field optional; a new `encodingAesKey` keeps the old one as the previous key (rotation). */
export interface UpdateAccountRequest {
  name?: string;
  appSecret?: string;
  token?: string;
  encodingAesKey?: string;
  mode?: AccountMode;
  originalId?: string;
  status?: AccountStatus;
}

export interface AccountHealth {
  callbackVerifiedAt: string | null;
  lastMessageAt: string | null;
  tokenState: 'none' | 'valid' | 'expired';
  tokenExpiresAt: string | null;
  credentialsError: string | null;
  lastApiErrorCode: number | null;
  lastApiErrorAt: string | null;
  sendsToday: number;
}

/** Secrets are never returned, only whether they are set. */
export interface Account {
  id: string;
  kind: AccountKind;
  name: string;
  appId: string;
  originalId: string;
  mode: AccountMode;
  status: AccountStatus;
  callbackUrl: string;
  secrets: {
    appSecret: 'set' | 'not set';
    token: 'set' | 'not set';
    encodingAesKey: 'set' | 'not set';
    previousEncodingAesKey: 'set' | 'not set';
  };
  health: AccountHealth;
  createdAt: string;
}

export interface SetMembersRequest {
  userIds: string[];
}

/**
 * The agents and supervisors who may see an account: the answer of `PUT /api/accounts/:id/members`,
 * and of `GET /api/accounts/:id/members` where the server offers it.
 */
export interface AccountMembers {
  userIds: string[];
}

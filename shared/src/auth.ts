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
}

export interface LoginResponse {
  user: Me;
}

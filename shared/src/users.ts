import type { Role } from './auth';

export interface CreateUserRequest {
  email: string;
  name: string;
  password: string;
  role: Role;
}

/** `PATCH /api/users/:id` (admin). Disabling revokes every session of the user. */
export interface UpdateUserRequest {
  name?: string;
  role?: Role;
  disabled?: boolean;
}

/** `POST /api/users/:id/password` (admin reset). Revokes every session of the user. */
export interface ResetPasswordRequest {
  password: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  totpEnabled: boolean;
  createdAt: string;
}

/**
 * `GET /api/colleagues` (every signed-in user): the active users who share an account with the caller
 * (admins and managers see every account, so they are everyone's colleagues and see everyone).
 * Names for assignees, senders, presence and typing; no email or security details.
 */
export interface Colleague {
  id: string;
  name: string;
  role: Role;
  /** Accounts this colleague may see, among those the caller may see (every one for admins/managers). */
  accountIds: string[];
}

import type {
  Colleague,
  CreateUserRequest,
  ResetPasswordRequest,
  RevokedSessions,
  UpdateUserRequest,
  User,
} from '@inbox/shared';
import { request } from './http';

/** Every user (admins only): used to show assignee names and on the users screen. */
export function listUsers(): Promise<User[]> {
  return request<User[]>('GET', '/api/users');
}

/** 400 `validation/failed` or `auth/weak_password` with the fields; 409 `users/email_taken`. */
export function createUser(body: CreateUserRequest): Promise<User> {
  return request<User>('POST', '/api/users', body);
}

/** Name, role, disabled; 409 `users/cannot_change_self` for one's own role or disabling oneself. */
export function updateUser(id: string, body: UpdateUserRequest): Promise<User> {
  return request<User>('PATCH', `/api/users/${encodeURIComponent(id)}`, body);
}

/** Admin password reset; every session of the user ends. 400 `auth/weak_password` (fields.password). */
export function resetPassword(id: string, body: ResetPasswordRequest): Promise<void> {
  return request<void>('POST', `/api/users/${encodeURIComponent(id)}/password`, body);
}

/** Log a user out everywhere. */
export function revokeUserSessions(id: string): Promise<RevokedSessions> {
  return request<RevokedSessions>('DELETE', `/api/users/${encodeURIComponent(id)}/sessions`);
}

/** Remove a user's second factor (lost device). */
export function resetUserTotp(id: string): Promise<void> {
  return request<void>('DELETE', `/api/users/${encodeURIComponent(id)}/totp`);
}

/** The active users who share an account with the caller (every role may ask): names, roles, shared accounts. */
export function listColleagues(): Promise<Colleague[]> {
  return request<Colleague[]>('GET', '/api/colleagues');
}

import type { CreateUserRequest, UpdateUserRequest, User } from '@inbox/shared';
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

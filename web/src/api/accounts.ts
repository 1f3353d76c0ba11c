import type { Account, AccountMembers, CreateAccountRequest, UpdateAccountRequest } from '@inbox/shared';
import { request } from './http';

const path = (id: string) => `/api/accounts/${encodeURIComponent(id)}`;

/** The Official Accounts the signed-in user may see (never their secrets). */
export function listAccounts(): Promise<Account[]> {
  return request<Account[]>('GET', '/api/accounts');
}

/** Links an Official Account (admin). 400 `validation/failed` with the fields, 409 `accounts/app_id_taken`. */
export function createAccount(body: CreateAccountRequest): Promise<Account> {
  return request<Account>('POST', '/api/accounts', body);
}

/** Changes names, mode, status or secrets (admin); a new EncodingAESKey keeps the old one as the previous key. */
export function updateAccount(id: string, body: UpdateAccountRequest): Promise<Account> {
  return request<Account>('PATCH', path(id), body);
}

export function deleteAccount(id: string): Promise<void> {
  return request<void>('DELETE', path(id));
}

/** Replaces the agents and supervisors who may see the account (admin). */
export function setAccountMembers(id: string, userIds: string[]): Promise<AccountMembers> {
  return request<AccountMembers>('PUT', `${path(id)}/members`, { userIds });
}

/** The current members; servers without this endpoint answer 404 `http/not_found`. */
export function getAccountMembers(id: string): Promise<AccountMembers> {
  return request<AccountMembers>('GET', `${path(id)}/members`);
}

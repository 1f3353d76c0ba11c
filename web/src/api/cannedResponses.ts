import type { CannedResponse, SaveCannedResponseRequest } from '@inbox/shared';
import { request } from './http';

const path = (id: string) => `/api/canned-responses/${encodeURIComponent(id)}`;

/**
 * The saved replies the user may use: the global ones and those of the accounts they see. With an
 * account id, only the global ones and that account's.
 */
export function listCannedResponses(accountId?: string): Promise<CannedResponse[]> {
  const query = accountId === undefined ? '' : `?accountId=${encodeURIComponent(accountId)}`;
  return request<CannedResponse[]>('GET', `/api/canned-responses${query}`);
}

/** Supervisor or admin; `accountId: null` for every account. 400 `validation/failed` with the fields. */
export function createCannedResponse(body: SaveCannedResponseRequest): Promise<CannedResponse> {
  return request<CannedResponse>('POST', '/api/canned-responses', body);
}

/** 404 `canned_responses/not_found`, 400 `validation/failed`. */
export function updateCannedResponse(id: string, body: SaveCannedResponseRequest): Promise<CannedResponse> {
  return request<CannedResponse>('PATCH', path(id), body);
}

export function deleteCannedResponse(id: string): Promise<void> {
  return request<void>('DELETE', path(id));
}

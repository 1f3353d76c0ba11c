import type { PresenceResponse } from '@inbox/shared';
import { request } from './http';

/** Who is online now, among the colleagues the caller shares an account with. */
export function getPresence(): Promise<PresenceResponse> {
  return request<PresenceResponse>('GET', '/api/presence');
}

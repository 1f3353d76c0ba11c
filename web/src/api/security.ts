import type { SecuritySettings } from '@inbox/shared';
import { request } from './http';

/** The 2FA policy and the per-user session cap (admins only). */
export function getSecuritySettings(): Promise<SecuritySettings> {
  return request<SecuritySettings>('GET', '/api/settings/security');
}

export function updateSecuritySettings(body: SecuritySettings): Promise<SecuritySettings> {
  return request<SecuritySettings>('PUT', '/api/settings/security', body);
}

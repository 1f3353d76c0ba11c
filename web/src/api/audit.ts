import type { AuditEntry, AuditQuery, Page } from '@inbox/shared';
import { request } from './http';

/** The query string of `GET /api/audit`: only the filters that are set, in a stable order. */
export function auditQueryString(query: AuditQuery): string {
  const params = new URLSearchParams();
  const keys: (keyof AuditQuery)[] = ['actor', 'action', 'targetType', 'targetId', 'from', 'to', 'cursor', 'limit'];
  for (const key of keys) {
    const value = query[key];
    if (value === undefined || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Newest first; `nextCursor` pages on. */
export function listAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
  return request<Page<AuditEntry>>('GET', `/api/audit${auditQueryString(query)}`);
}

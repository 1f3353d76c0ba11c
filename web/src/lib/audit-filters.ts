import type { AuditAction, AuditQuery } from '@inbox/shared';

/** The audit screen's filter form. Empty strings and null mean "any". */
export interface AuditFilters {
  /** A user id (the actor select offers the users by name). */
  actor: string;
  action: AuditAction | '';
  targetType: string;
  targetId: string;
  from: Date | null;
  to: Date | null;
}

export const AUDIT_PAGE_SIZE = 50;

export function emptyAuditFilters(): AuditFilters {
  return { actor: '', action: '', targetType: '', targetId: '', from: null, to: null };
}

function isValidDate(value: Date | null): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** The filters as the API's query: trimmed, unset ones left out, times as ISO strings. */
export function toAuditQuery(filters: AuditFilters, cursor?: string | null): AuditQuery {
  const query: AuditQuery = { limit: AUDIT_PAGE_SIZE };
  const actor = filters.actor.trim();
  if (actor) query.actor = actor;
  if (filters.action) query.action = filters.action;
  const targetType = filters.targetType.trim();
  if (targetType) query.targetType = targetType;
  const targetId = filters.targetId.trim();
  if (targetId) query.targetId = targetId;
  if (isValidDate(filters.from)) query.from = filters.from.toISOString();
  if (isValidDate(filters.to)) query.to = filters.to.toISOString();
  if (cursor) query.cursor = cursor;
  return query;
}

import { Inject, Injectable } from '@nestjs/common';
import type { AuditAction, AuditEntry, Page } from '@inbox/shared';
import { AppError } from '../common/app-error';
import { requestContext } from '../common/request-context';
import type { AuditQueryDto } from './audit.dto';
import { AuditRepository, type AuditRow } from './audit.repository';

export interface AuditRecord {
  targetType?: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
  /** Defaults to the user of the current request (none outside a request). */
  actorId?: string | null;
  actorEmail?: string | null;
  /** Defaults to the IP of the current request. */
  ip?: string | null;
}

/** Keys that could carry a secret never reach the log, whatever a caller passes. */
const SECRET_KEYS = new Set(
  [
    'password',
    'currentPassword',
    'newPassword',
    'passwordHash',
    'appSecret',
    'token',
    'encodingAesKey',
    'previousEncodingAesKey',
    'accessToken',
    'secret',
    'totp',
    'code',
    'recoveryCodes',
    'credentials',
    'cookie',
  ].map((k) => k.toLowerCase()),
);

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.has(k.toLowerCase())) out[k] = scrub(v);
    return out;
  }
  return value;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorEmail: r.actor_email,
    action: r.action as AuditAction,
    targetType: r.target_type,
    targetId: r.target_id,
    ip: r.ip,
    details: r.details,
  };
}

/** The append-only audit log: who did what to what, from where, when. Never a secret. */
@Injectable()
export class AuditService {
  constructor(@Inject(AuditRepository) private readonly repo: AuditRepository) {}

  async record(action: AuditAction, r: AuditRecord = {}): Promise<void> {
    const ctx = requestContext();
    await this.repo.insert({
      action,
      actorId: r.actorId !== undefined ? r.actorId : (ctx?.userId ?? null),
      actorEmail: r.actorEmail !== undefined ? r.actorEmail : (ctx?.email ?? null),
      targetType: r.targetType ?? null,
      targetId: r.targetId ?? null,
      ip: r.ip !== undefined ? r.ip : (ctx?.ip ?? null),
      details: scrub(r.details ?? {}) as Record<string, unknown>,
    });
  }

  async list(q: AuditQueryDto): Promise<Page<AuditEntry>> {
    if (q.cursor !== undefined && !/^\d{1,19}$/.test(q.cursor)) {
      throw new AppError('validation/failed', 'cursor is not one this API returned', { cursor: ['unknown cursor'] });
    }
    const limit = q.limit ?? 50;
    const rows = await this.repo.list({
      ...(q.actor !== undefined ? { actorId: q.actor } : {}),
      ...(q.action !== undefined ? { action: q.action } : {}),
      ...(q.targetType !== undefined ? { targetType: q.targetType } : {}),
      ...(q.targetId !== undefined ? { targetId: q.targetId } : {}),
      ...(q.from !== undefined ? { from: new Date(q.from) } : {}),
      ...(q.to !== undefined ? { to: new Date(q.to) } : {}),
      ...(q.cursor !== undefined ? { beforeId: q.cursor } : {}),
      limit,
    });
    const last = rows[rows.length - 1];
    return { items: rows.map(toEntry), nextCursor: rows.length === limit && last ? last.id : null };
  }
}

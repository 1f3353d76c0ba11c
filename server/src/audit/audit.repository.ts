import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Only rows older than this id (keyset pagination, newest first). */
  beforeId?: string;
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async insert(e: {
    actorId: string | null;
    actorEmail: string | null;
    action: string;
    targetType: string | null;
    targetId: string | null;
    ip: string | null;
    details: Record<string, unknown>;
  }): Promise<void> {
    await this.ds.query(
      `INSERT INTO audit_log (actor_id, actor_email, action, target_type, target_id, ip, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.actorId, e.actorEmail, e.action, e.targetType, e.targetId, e.ip, JSON.stringify(e.details)],
    );
  }

  /** Newest first; only the given filters become conditions, so each can use its index. */
  async list(f: AuditFilter): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.actorId !== undefined) add('actor_id = ?', f.actorId);
    if (f.action !== undefined) add('action = ?', f.action);
    if (f.targetType !== undefined) add('target_type = ?', f.targetType);
    if (f.targetId !== undefined) add('target_id = ?', f.targetId);
    if (f.from !== undefined) add('at >= ?', f.from);
    if (f.to !== undefined) add('at < ?', f.to);
    if (f.beforeId !== undefined) add('audit_log.id < ?::bigint', f.beforeId);
    params.push(f.limit);
    return this.ds.query(
      `SELECT id::text AS id, at, actor_id, actor_email, action, target_type, target_id, ip, details
         FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY audit_log.id DESC LIMIT $${params.length}`,
      params,
    );
  }
}

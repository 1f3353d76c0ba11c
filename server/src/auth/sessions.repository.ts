import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@inbox/shared';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface SessionWithUser {
  session_id: string;
  last_seen_at: Date;
  user: { id: string; email: string; name: string; role: Role; disabled: boolean };
  /** The user has TOTP enrolled. */
  totp_enabled: boolean;
  /** The 2FA policy requires TOTP for the user's role. */
  totp_required: boolean;
}

export interface SessionRow {
  id: string;
  user_agent: string | null;
  ip: string | null;
  created_at: Date;
  last_seen_at: Date;
}

/** A session is live when not revoked and not past its absolute or idle timeout. */
const LIVE = `s.revoked_at IS NULL AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2)`;

const WITH_USER = `
  SELECT s.id AS session_id, s.last_seen_at, u.id, u.email, u.name, u.role, u.disabled,
         u.totp_secret IS NOT NULL AS totp_enabled,
         COALESCE(u.role = ANY(st.totp_required_roles), false) AS totp_required
    FROM sessions s JOIN users u ON u.id = s.user_id
    LEFT JOIN security_settings st ON st.id = 1`;

type WithUserRow = SessionWithUser['user'] & Omit<SessionWithUser, 'user'>;

function split(r: WithUserRow | undefined): SessionWithUser | undefined {
  if (!r) return undefined;
  const { session_id, last_seen_at, totp_enabled, totp_required, id, email, name, role, disabled } = r;
  return { session_id, last_seen_at, totp_enabled, totp_required, user: { id, email, name, role, disabled } };
}

@Injectable()
export class SessionsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async create(s: {
    userId: string;
    tokenHash: Buffer;
    userAgent?: string;
    ip?: string;
    expiresAt: Date;
  }): Promise<string> {
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO sessions (user_id, token_hash, user_agent, ip, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [s.userId, s.tokenHash, s.userAgent ?? null, s.ip ?? null, s.expiresAt],
    );
    return rows[0]!.id;
  }

  /** The live session for a token hash, with its user and their 2FA state. */
  async findLive(tokenHash: Buffer, idleSeconds: number): Promise<SessionWithUser | undefined> {
    const rows: WithUserRow[] = await this.ds.query(`${WITH_USER} WHERE s.token_hash = $1 AND ${LIVE}`, [
      tokenHash,
      idleSeconds,
    ]);
    return split(rows[0]);
  }

  async findLiveById(sessionId: string, idleSeconds: number): Promise<SessionWithUser | undefined> {
    const rows: WithUserRow[] = await this.ds.query(`${WITH_USER} WHERE s.id = $1 AND ${LIVE}`, [
      sessionId,
      idleSeconds,
    ]);
    return split(rows[0]);
  }

  /** The user's live sessions, most recently used first. */
  async listLive(userId: string, idleSeconds: number): Promise<SessionRow[]> {
    return this.ds.query(
      `SELECT s.id, s.user_agent, s.ip, s.created_at, s.last_seen_at FROM sessions s
        WHERE s.user_id = $1 AND ${LIVE} ORDER BY s.last_seen_at DESC, s.created_at DESC`,
      [userId, idleSeconds],
    );
  }

  async touch(sessionId: string): Promise<void> {
    await this.ds.query(`UPDATE sessions SET last_seen_at = now() WHERE id = $1`, [sessionId]);
  }

  /** Revokes one session; answers the ids actually revoked (none when it was not live or not the user's). */
  async revoke(sessionId: string, userId?: string): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `WITH r AS (
         UPDATE sessions SET revoked_at = now()
          WHERE id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR user_id = $2) RETURNING id)
       SELECT id FROM r`,
      [sessionId, userId ?? null],
    );
    return rows.map((r) => r.id);
  }

  /** Revokes every session of a user (but `exceptId`); answers their ids. */
  async revokeAll(userId: string, exceptId?: string): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `WITH r AS (
         UPDATE sessions SET revoked_at = now()
          WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2) RETURNING id)
       SELECT id FROM r`,
      [userId, exceptId ?? null],
    );
    return rows.map((r) => r.id);
  }

  /** Keeps the `keep` newest live sessions of a user and revokes the older ones; answers their ids. */
  async revokeBeyond(userId: string, keep: number, idleSeconds: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `WITH old AS (
         SELECT s.id FROM sessions s WHERE s.user_id = $1 AND ${LIVE}
          ORDER BY s.created_at DESC, s.id DESC OFFSET $3),
       r AS (UPDATE sessions SET revoked_at = now() WHERE id IN (SELECT id FROM old) RETURNING id)
       SELECT id FROM r`,
      [userId, idleSeconds, keep],
    );
    return rows.map((r) => r.id);
  }
}

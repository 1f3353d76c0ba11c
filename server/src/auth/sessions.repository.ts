import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';
import type { UserRow } from '../users/users.repository';

export interface SessionWithUser {
  session_id: string;
  last_seen_at: Date;
  user: Omit<UserRow, 'password_hash'>;
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

  /** The live session for a token hash: not revoked, not past its absolute or idle timeout. */
  async findLive(tokenHash: Buffer, idleSeconds: number): Promise<SessionWithUser | undefined> {
    const rows: Array<{ session_id: string; last_seen_at: Date } & Omit<UserRow, 'password_hash'>> =
      await this.ds.query(
        `SELECT s.id AS session_id, s.last_seen_at, u.id, u.email, u.name, u.role, u.disabled, u.created_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(secs => $2)`,
        [tokenHash, idleSeconds],
      );
    const r = rows[0];
    if (!r) return undefined;
    const { session_id, last_seen_at, ...user } = r;
    return { session_id, last_seen_at, user };
  }

  async findLiveById(sessionId: string, idleSeconds: number): Promise<SessionWithUser | undefined> {
    const rows: Array<{ session_id: string; last_seen_at: Date } & Omit<UserRow, 'password_hash'>> =
      await this.ds.query(
        `SELECT s.id AS session_id, s.last_seen_at, u.id, u.email, u.name, u.role, u.disabled, u.created_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(secs => $2)`,
        [sessionId, idleSeconds],
      );
    const r = rows[0];
    if (!r) return undefined;
    const { session_id, last_seen_at, ...user } = r;
    return { session_id, last_seen_at, user };
  }

  async touch(sessionId: string): Promise<void> {
    await this.ds.query(`UPDATE sessions SET last_seen_at = now() WHERE id = $1`, [sessionId]);
  }

  async revoke(sessionId: string): Promise<void> {
    await this.ds.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
  }
}

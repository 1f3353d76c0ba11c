import { Inject, Injectable } from '@nestjs/common';
import type { SessionInfo } from '@inbox/shared';
import { createHash, randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import { UUID } from '../common/uuid';
import { InboxEvents } from '../events/inbox-events';
import { SecuritySettingsRepository } from './security-settings.repository';
import { SessionsRepository, type SessionWithUser } from './sessions.repository';
import { describeUserAgent } from './user-agent';

export const SESSION_COOKIE = 'inbox_session';
/** Absolute lifetime of a session, and how long it may sit unused. */
export const SESSION_ABSOLUTE_SECONDS = 30 * 24 * 3600;
export const SESSION_IDLE_SECONDS = 7 * 24 * 3600;
/** last_seen_at is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export type RevokeReason =
  | 'logout'
  | 'revoked by user'
  | 'revoked by admin'
  | 'password changed'
  | 'password reset'
  | 'user disabled'
  | 'session limit';

/**
 * Login sessions: opaque random cookie tokens stored as SHA-256, idle and absolute timeouts, an
 * optional cap per user. Every revocation emits `session.revoked` per session, so the realtime
 * gateway disconnects its sockets (across instances, through the socket.io adapter).
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(SessionsRepository) private readonly repo: SessionsRepository,
    @Inject(SecuritySettingsRepository) private readonly settings: SecuritySettingsRepository,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Opens a session; returns the cookie token (never stored in clear). Older sessions beyond the cap are revoked. */
  async open(
    userId: string,
    client: { ip?: string; userAgent?: string },
  ): Promise<{ token: string; sessionId: string }> {
    const token = randomBytes(32).toString('base64url');
    const sessionId = await this.repo.create({
      userId,
      tokenHash: hashToken(token),
      ...(client.ip ? { ip: client.ip } : {}),
      ...(client.userAgent ? { userAgent: client.userAgent.slice(0, 512) } : {}),
      expiresAt: new Date(Date.now() + SESSION_ABSOLUTE_SECONDS * 1000),
    });
    const { max_sessions_per_user: max } = await this.settings.get();
    if (max !== null) {
      const revoked = await this.repo.revokeBeyond(userId, max, SESSION_IDLE_SECONDS);
      await this.revoked(userId, revoked, 'session limit');
    }
    return { token, sessionId };
  }

  /** The live session behind a cookie token (touching its last-seen time now and then). */
  async findByToken(token: string | undefined): Promise<SessionWithUser | undefined> {
    if (!token || token.length > 200) return undefined;
    const found = await this.repo.findLive(hashToken(token), SESSION_IDLE_SECONDS);
    if (found && Date.now() - found.last_seen_at.getTime() > TOUCH_EVERY_MS) await this.repo.touch(found.session_id);
    return found;
  }

  findById(sessionId: string): Promise<SessionWithUser | undefined> {
    return this.repo.findLiveById(sessionId, SESSION_IDLE_SECONDS);
  }

  async list(userId: string, currentSessionId: string): Promise<SessionInfo[]> {
    const rows = await this.repo.listLive(userId, SESSION_IDLE_SECONDS);
    return rows.map((r) => ({
      id: r.id,
      device: describeUserAgent(r.user_agent),
      userAgent: r.user_agent,
      ip: r.ip,
      createdAt: r.created_at.toISOString(),
      lastSeenAt: r.last_seen_at.toISOString(),
      current: r.id === currentSessionId,
    }));
  }

  /** Revokes one of the user's own sessions; 404 when it is not theirs or not live. */
  async revokeOwn(userId: string, sessionId: string, reason: RevokeReason = 'revoked by user'): Promise<void> {
    const ids = UUID.test(sessionId) ? await this.repo.revoke(sessionId, userId) : [];
    if (ids.length === 0) throw new AppError('sessions/not_found', 'No such session');
    await this.revoked(userId, ids, reason);
  }

  /** Revokes every session of a user, but `exceptSessionId`; answers how many. */
  async revokeAll(userId: string, reason: RevokeReason, exceptSessionId?: string): Promise<number> {
    const ids = await this.repo.revokeAll(userId, exceptSessionId);
    await this.revoked(userId, ids, reason);
    return ids.length;
  }

  private async revoked(userId: string, sessionIds: string[], reason: RevokeReason): Promise<void> {
    if (sessionIds.length === 0) return;
    for (const sessionId of sessionIds) this.events.emit('session.revoked', { sessionId, userId });
    await this.audit.record(reason === 'logout' ? 'auth.logout' : 'session.revoked', {
      targetType: 'user',
      targetId: userId,
      details: { sessionIds, reason },
    });
  }
}

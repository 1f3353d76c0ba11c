import { Inject, Injectable } from '@nestjs/common';
import type { Me } from '@inbox/shared';
import { createHash, randomBytes } from 'node:crypto';
import { AccountsService } from '../accounts/accounts.service';
import { AppError } from '../common/app-error';
import { InboxEvents } from '../events/inbox-events';
import { UsersRepository } from '../users/users.repository';
import type { AuthContext } from './auth.context';
import { verifyPassword } from './passwords';
import { SessionsRepository } from './sessions.repository';

export const SESSION_COOKIE = 'inbox_session';
/** Absolute lifetime of a session, and how long it may sit unused. */
export const SESSION_ABSOLUTE_SECONDS = 30 * 24 * 3600;
export const SESSION_IDLE_SECONDS = 7 * 24 * 3600;
/** last_seen_at is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(InboxEvents) private readonly events: InboxEvents,
  ) {}

  /** Checks the credentials and opens a session; returns the cookie token (never stored in clear). */
  async login(
    email: string,
    password: string,
    client: { ip?: string; userAgent?: string },
  ): Promise<{ token: string; user: Me }> {
    const user = await this.users.findByEmail(email);
    const ok = await verifyPassword(user?.password_hash, password);
    if (!user || !ok || user.disabled) {
      // One answer for unknown email, wrong password and disabled user: no enumeration.
      throw new AppError('auth/invalid_credentials', 'Email or password is wrong');
    }
    const token = randomBytes(32).toString('base64url');
    await this.sessions.create({
      userId: user.id,
      tokenHash: hashToken(token),
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 512),
      expiresAt: new Date(Date.now() + SESSION_ABSOLUTE_SECONDS * 1000),
    });
    return { token, user: await this.me(user) };
  }

  async logout(sessionId: string, userId: string): Promise<void> {
    await this.sessions.revoke(sessionId);
    this.events.emit('session.revoked', { sessionId, userId });
  }

  /** The session behind a cookie token, or undefined when it is unknown, revoked, expired or its user disabled. */
  async authenticate(token: string | undefined): Promise<AuthContext | undefined> {
    if (!token || token.length > 200) return undefined;
    const found = await this.sessions.findLive(hashToken(token), SESSION_IDLE_SECONDS);
    if (!found || found.user.disabled) return undefined;
    if (Date.now() - found.last_seen_at.getTime() > TOUCH_EVERY_MS) await this.sessions.touch(found.session_id);
    const { id, email, name, role } = found.user;
    return { user: { id, email, name, role }, sessionId: found.session_id };
  }

  /** The same check by session id (for live sockets). */
  async authenticateSession(sessionId: string): Promise<AuthContext | undefined> {
    const found = await this.sessions.findLiveById(sessionId, SESSION_IDLE_SECONDS);
    if (!found || found.user.disabled) return undefined;
    const { id, email, name, role } = found.user;
    return { user: { id, email, name, role }, sessionId: found.session_id };
  }

  async me(user: { id: string; email: string; name: string; role: Me['role'] }): Promise<Me> {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      accountIds: await this.accounts.visibleAccountIds(user),
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Me, RecoveryCodesResponse, SecuritySettings, SessionInfo, TotpSetupResponse } from '@inbox/shared';
import { AccountsService } from '../accounts/accounts.service';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import { UsersRepository } from '../users/users.repository';
import type { AuthContext, AuthUser } from './auth.context';
import { assertPasswordPolicy } from './password-policy';
import { hashPassword, verifyPassword } from './passwords';
import { SecuritySettingsRepository } from './security-settings.repository';
import type { SessionWithUser } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { attemptRules, ThrottleService } from './throttle.service';
import { TotpService } from './totp.service';

export { hashToken, SESSION_ABSOLUTE_SECONDS, SESSION_COOKIE, SESSION_IDLE_SECONDS } from './sessions.service';

export interface Client {
  ip?: string;
  userAgent?: string;
}

function toContext(found: SessionWithUser | undefined): AuthContext | undefined {
  if (!found || found.user.disabled) return undefined;
  const { id, email, name, role } = found.user;
  return {
    user: { id, email, name, role },
    sessionId: found.session_id,
    totpEnabled: found.totp_enabled,
    totpEnrolmentRequired: found.totp_required && !found.totp_enabled,
  };
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(TotpService) private readonly totp: TotpService,
    @Inject(ThrottleService) private readonly throttle: ThrottleService,
    @Inject(SecuritySettingsRepository) private readonly settings: SecuritySettingsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /**
   * Checks the credentials (and the second factor when the user has one) and opens a session;
   * returns the cookie token (never stored in clear). Unknown email, wrong password and disabled
   * user get one answer after the same work (a dummy hash is verified for unknown emails).
   */
  async login(
    email: string,
    password: string,
    totp: string | undefined,
    client: Client,
  ): Promise<{ token: string; user: Me }> {
    const normalized = email.toLowerCase();
    const reservation = await this.throttle.attempt(attemptRules(client.ip, normalized));
    const user = await this.users.findByEmail(normalized);
    const ok = await verifyPassword(user?.password_hash, password);
    if (!user || !ok || user.disabled) {
      await this.loginFailed(normalized, user?.id, 'invalid_credentials', client.ip);
      throw new AppError('auth/invalid_credentials', 'Email or password is wrong');
    }
    let method: 'password' | 'totp' | 'recovery_code' = 'password';
    if (user.totp_enabled_at) {
      if (!totp) {
        // The password was right: not a failed guess.
        await this.throttle.release(reservation);
        throw new AppError('auth/totp_required', 'Enter the code from your authenticator app, or a recovery code');
      }
      const used = await this.totp.verifyLogin(user.id, totp);
      if (!used) {
        await this.loginFailed(normalized, user.id, 'totp_invalid', client.ip);
        throw new AppError('auth/totp_invalid', 'The code is not valid or was used already');
      }
      method = used;
    }
    await this.throttle.release(reservation);
    const { token, sessionId } = await this.sessions.open(user.id, client);
    const required = (await this.settings.get()).totp_required_roles.includes(user.role);
    const totpEnrolmentRequired = required && !user.totp_enabled_at;
    await this.audit.record('auth.login_ok', {
      actorId: user.id,
      actorEmail: user.email,
      targetType: 'user',
      targetId: user.id,
      ip: client.ip ?? null,
      details: { sessionId, method, ...(totpEnrolmentRequired ? { totpEnrolmentRequired } : {}) },
    });
    return {
      token,
      user: await this.me({
        user,
        sessionId,
        totpEnabled: user.totp_enabled_at !== null,
        totpEnrolmentRequired,
      }),
    };
  }

  private async loginFailed(email: string, userId: string | undefined, reason: string, ip?: string): Promise<void> {
    await this.audit.record('auth.login_failed', {
      actorId: null,
      actorEmail: email,
      targetType: 'user',
      targetId: userId ?? null,
      ip: ip ?? null,
      details: { reason },
    });
  }

  async logout(auth: AuthContext): Promise<void> {
    await this.sessions.revokeOwn(auth.user.id, auth.sessionId, 'logout').catch((err: unknown) => {
      if (!(err instanceof AppError && err.code === 'sessions/not_found')) throw err;
    });
  }

  /** The session behind a cookie token, or undefined when it is unknown, revoked, expired or its user disabled. */
  async authenticate(token: string | undefined): Promise<AuthContext | undefined> {
    return toContext(await this.sessions.findByToken(token));
  }

  /** The same check by session id (for live sockets). */
  async authenticateSession(sessionId: string): Promise<AuthContext | undefined> {
    return toContext(await this.sessions.findById(sessionId));
  }

  async me(
    auth: Pick<AuthContext, 'sessionId' | 'totpEnabled' | 'totpEnrolmentRequired'> & { user: AuthUser },
  ): Promise<Me> {
    const { id, email, name, role } = auth.user;
    return {
      id,
      email,
      name,
      role,
      // A restricted session sees no account until the second factor is enrolled.
      accountIds: auth.totpEnrolmentRequired ? [] : await this.accounts.visibleAccountIds(auth.user),
      totpEnabled: auth.totpEnabled,
      totpEnrolmentRequired: auth.totpEnrolmentRequired,
    };
  }

  /** Changes the caller's own password; every other session of theirs is revoked. */
  async changePassword(auth: AuthContext, current: string, next: string, ip?: string): Promise<void> {
    await this.confirmPassword(auth.user, current, ip, 'currentPassword');
    assertPasswordPolicy(next, auth.user, 'newPassword');
    await this.users.setPassword(auth.user.id, await hashPassword(next));
    const revoked = await this.sessions.revokeAll(auth.user.id, 'password changed', auth.sessionId);
    await this.audit.record('user.password_changed', {
      targetType: 'user',
      targetId: auth.user.id,
      details: { otherSessionsRevoked: revoked },
    });
  }

  listSessions(auth: AuthContext): Promise<SessionInfo[]> {
    return this.sessions.list(auth.user.id, auth.sessionId);
  }

  revokeSession(auth: AuthContext, sessionId: string): Promise<void> {
    return this.sessions.revokeOwn(auth.user.id, sessionId);
  }

  async revokeOtherSessions(auth: AuthContext): Promise<{ revoked: number }> {
    return { revoked: await this.sessions.revokeAll(auth.user.id, 'revoked by user', auth.sessionId) };
  }

  totpSetup(auth: AuthContext): Promise<TotpSetupResponse> {
    return this.totp.setup(auth.user);
  }

  /** Enrolment codes count against the same per-IP and per-account limits as logins. */
  async totpEnable(auth: AuthContext, code: string, ip?: string): Promise<RecoveryCodesResponse> {
    const reservation = await this.throttle.attempt(attemptRules(ip, auth.user.email));
    const result = await this.totp.enable(auth.user.id, code);
    await this.throttle.release(reservation);
    return result;
  }

  async totpDisable(auth: AuthContext, password: string, ip?: string): Promise<void> {
    await this.confirmPassword(auth.user, password, ip);
    await this.totp.disable(auth.user.id);
  }

  async regenerateRecoveryCodes(auth: AuthContext, password: string, ip?: string): Promise<RecoveryCodesResponse> {
    await this.confirmPassword(auth.user, password, ip);
    return this.totp.regenerateRecoveryCodes(auth.user.id);
  }

  async securitySettings(): Promise<SecuritySettings> {
    const s = await this.settings.get();
    return { totpRequiredRoles: s.totp_required_roles, maxSessionsPerUser: s.max_sessions_per_user };
  }

  async updateSecuritySettings(next: SecuritySettings): Promise<SecuritySettings> {
    const before = await this.securitySettings();
    const roles = [...new Set(next.totpRequiredRoles)];
    const s = await this.settings.update({ totpRequiredRoles: roles, maxSessionsPerUser: next.maxSessionsPerUser });
    const after = { totpRequiredRoles: s.totp_required_roles, maxSessionsPerUser: s.max_sessions_per_user };
    await this.audit.record('settings.security_changed', {
      targetType: 'settings',
      targetId: 'security',
      details: { before, after },
    });
    return after;
  }

  /** Re-checks the caller's password (throttled like a login); 403 `auth/wrong_password` when wrong. */
  private async confirmPassword(
    user: AuthUser,
    password: string,
    ip: string | undefined,
    field = 'password',
  ): Promise<void> {
    const reservation = await this.throttle.attempt(attemptRules(ip, user.email));
    const row = await this.users.findById(user.id);
    if (!row || !(await verifyPassword(row.password_hash, password))) {
      throw new AppError('auth/wrong_password', 'The current password is wrong', { [field]: ['wrong password'] });
    }
    await this.throttle.release(reservation);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { RevokedSessions, User } from '@inbox/shared';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { assertPasswordPolicy } from '../auth/password-policy';
import { hashPassword } from '../auth/passwords';
import { SessionsService } from '../auth/sessions.service';
import { TotpService } from '../auth/totp.service';
import { AppError } from '../common/app-error';
import { InboxEvents } from '../events/inbox-events';
import type { CreateUserDto, UpdateUserDto } from './users.dto';
import { UsersRepository, type UserRow } from './users.repository';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    totpEnabled: row.totp_enabled_at !== null,
    createdAt: row.created_at.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(TotpService) private readonly totp: TotpService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(InboxEvents) private readonly events: InboxEvents,
  ) {}

  async create(dto: CreateUserDto): Promise<User> {
    assertPasswordPolicy(dto.password, dto);
    const row = await this.users.create({ ...dto, passwordHash: await hashPassword(dto.password) });
    if (!row) throw new AppError('users/email_taken', `A user with email ${dto.email} already exists`);
    await this.audit.record('user.created', {
      targetType: 'user',
      targetId: row.id,
      details: { email: row.email, name: row.name, role: row.role },
    });
    return toUser(row);
  }

  async list(): Promise<User[]> {
    return (await this.users.list()).map(toUser);
  }

  /**
   * Admin changes to a user. An admin cannot disable themselves or change their own role (so there
   * is always an active admin). Disabling revokes every session (their sockets close); a role
   * change or disabling re-scopes the user's live sockets.
   */
  async update(actorId: string, id: string, dto: UpdateUserDto): Promise<User> {
    if (id === actorId && ((dto.role !== undefined && dto.role !== 'admin') || dto.disabled === true)) {
      throw new AppError('users/cannot_change_self', 'You cannot disable yourself or change your own role');
    }
    const changed = await this.users.update(id, dto);
    if (!changed) throw new AppError('users/not_found', 'No such user');
    const { before, after } = changed;
    const target = { targetType: 'user', targetId: id };
    if (before.name !== after.name) {
      await this.audit.record('user.changed', { ...target, details: { name: { from: before.name, to: after.name } } });
    }
    if (before.role !== after.role) {
      await this.audit.record('user.role_changed', { ...target, details: { from: before.role, to: after.role } });
    }
    if (before.disabled !== after.disabled) {
      await this.audit.record(after.disabled ? 'user.disabled' : 'user.enabled', target);
      if (after.disabled) await this.sessions.revokeAll(id, 'user disabled');
    }
    if (before.role !== after.role || before.disabled !== after.disabled) {
      this.events.emit('membership.changed', { userId: id });
    }
    return toUser(after);
  }

  async resetPassword(id: string, password: string): Promise<void> {
    const user = await this.users.findById(id);
    if (!user) throw new AppError('users/not_found', 'No such user');
    assertPasswordPolicy(password, user);
    await this.users.setPassword(id, await hashPassword(password));
    const revoked = await this.sessions.revokeAll(id, 'password reset');
    await this.audit.record('user.password_reset', {
      targetType: 'user',
      targetId: id,
      details: { sessionsRevoked: revoked },
    });
  }

  async revokeSessions(id: string): Promise<RevokedSessions> {
    if (!(await this.users.findById(id))) throw new AppError('users/not_found', 'No such user');
    return { revoked: await this.sessions.revokeAll(id, 'revoked by admin') };
  }

  async resetTotp(id: string): Promise<void> {
    if (!(await this.users.findById(id))) throw new AppError('users/not_found', 'No such user');
    await this.totp.reset(id);
  }

  /**
   * First start on an empty database: the first admin from ADMIN_EMAIL / ADMIN_PASSWORD, or with a
   * generated password that is returned so the caller can print it once. An existing admin is left alone.
   */
  async ensureFirstAdmin(
    email: string | undefined,
    password: string | undefined,
  ): Promise<{ email: string; generatedPassword?: string } | undefined> {
    let generated: string | undefined;
    const row = await this.users.createFirstAdmin(async () => {
      if (!password) generated = randomBytes(12).toString('base64url');
      return {
        email: email ?? 'admin@example.com',
        name: 'Administrator',
        passwordHash: await hashPassword(password ?? (generated as string)),
      };
    });
    if (!row) return undefined;
    return generated ? { email: row.email, generatedPassword: generated } : { email: row.email };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { User } from '@inbox/shared';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/passwords';
import { AppError } from '../common/app-error';
import type { CreateUserDto } from './users.dto';
import { UsersRepository, type UserRow } from './users.repository';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  async create(dto: CreateUserDto): Promise<User> {
    const row = await this.users.create({ ...dto, passwordHash: await hashPassword(dto.password) });
    if (!row) throw new AppError('users/email_taken', `A user with email ${dto.email} already exists`);
    return toUser(row);
  }

  async list(): Promise<User[]> {
    return (await this.users.list()).map(toUser);
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

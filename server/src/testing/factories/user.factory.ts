import type { Role } from '@inbox/shared';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../auth/passwords';

/**
 * Factories make valid data the way the product would, for the tests and for the demo (`DEMO=1`), so both
 * start from the same shapes. Test suites import them through `server/test/factories/*`.
 */
export interface MadeUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

/** Inserts a user with a known password. */
export async function newUser(
  ds: DataSource,
  over: Partial<{ email: string; name: string; role: Role; password: string; disabled: boolean }> = {},
): Promise<MadeUser> {
  const email = over.email ?? `user-${randomBytes(4).toString('hex')}@example.com`;
  const password = over.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const role = over.role ?? 'agent';
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO users (email, name, role, password_hash, disabled) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [email.toLowerCase(), over.name ?? 'Test User', role, await hashPassword(password), over.disabled ?? false],
  );
  return { id: rows[0]!.id, email, password, role };
}

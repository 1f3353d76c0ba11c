import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@inbox/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled: boolean;
  totp_enabled_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, email, name, role, password_hash, disabled, totp_enabled_at, created_at';

@Injectable()
export class UsersRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async findByEmail(email: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [email.toLowerCase()]);
    return rows[0];
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0];
  }

  async list(): Promise<UserRow[]> {
    return this.ds.query(`SELECT ${COLUMNS} FROM users ORDER BY created_at`);
  }

  /** Inserts a user; undefined when the email is taken. */
  async create(
    user: { email: string; name: string; role: Role; passwordHash: string },
    em: EntityManager = this.ds.manager,
  ): Promise<UserRow | undefined> {
    const rows: UserRow[] = await em.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
      [user.email.toLowerCase(), user.name, user.role, user.passwordHash],
    );
    return rows[0];
  }

  /** Applies the given changes; answers the row before and after, or undefined when there is no such user. */
  async update(
    id: string,
    patch: { name?: string; role?: Role; disabled?: boolean },
  ): Promise<{ before: UserRow; after: UserRow } | undefined> {
    return this.ds.transaction(async (em) => {
      const old: UserRow[] = await em.query(`SELECT ${COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
      const before = old[0];
      if (!before) return undefined;
      const rows: UserRow[] = await em.query(
        `WITH u AS (
           UPDATE users SET name = COALESCE($2, name), role = COALESCE($3, role),
                  disabled = COALESCE($4, disabled), updated_at = now()
            WHERE id = $1 RETURNING ${COLUMNS})
         SELECT * FROM u`,
        [id, patch.name ?? null, patch.role ?? null, patch.disabled ?? null],
      );
      return { before, after: rows[0]! };
    });
  }

  /** False when there is no such user. */
  async setPassword(id: string, passwordHash: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `WITH u AS (UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 RETURNING id) SELECT id FROM u`,
      [id, passwordHash],
    );
    return rows.length === 1;
  }

  /**
   * Runs `create` only when no admin exists, under a transaction-scoped advisory lock, so
   * several instances starting together make at most one first admin.
   */
  async createFirstAdmin(
    make: () => Promise<{ email: string; name: string; passwordHash: string }>,
  ): Promise<UserRow | undefined> {
    return this.ds.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(7340118)');
      const existing: unknown[] = await em.query(`SELECT 1 FROM users WHERE role = 'admin' LIMIT 1`);
      if (existing.length > 0) return undefined;
      return this.create({ ...(await make()), role: 'admin' }, em);
    });
  }
}

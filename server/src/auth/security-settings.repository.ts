import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@inbox/shared';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface SecuritySettingsRow {
  totp_required_roles: Role[];
  max_sessions_per_user: number | null;
}

@Injectable()
export class SecuritySettingsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async get(): Promise<SecuritySettingsRow> {
    const rows: SecuritySettingsRow[] = await this.ds.query(
      `SELECT totp_required_roles, max_sessions_per_user FROM security_settings WHERE id = 1`,
    );
    return rows[0] ?? { totp_required_roles: [], max_sessions_per_user: null };
  }

  async update(s: { totpRequiredRoles: Role[]; maxSessionsPerUser: number | null }): Promise<SecuritySettingsRow> {
    const rows: SecuritySettingsRow[] = await this.ds.query(
      `INSERT INTO security_settings (id, totp_required_roles, max_sessions_per_user, updated_at)
       VALUES (1, $1::text[], $2, now())
       ON CONFLICT (id) DO UPDATE SET totp_required_roles = EXCLUDED.totp_required_roles,
         max_sessions_per_user = EXCLUDED.max_sessions_per_user, updated_at = now()
       RETURNING totp_required_roles, max_sessions_per_user`,
      [s.totpRequiredRoles, s.maxSessionsPerUser],
    );
    return rows[0]!;
  }
}

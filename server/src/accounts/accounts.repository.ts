import { Inject, Injectable } from '@nestjs/common';
import type { AccountMode, AccountStatus } from '@inbox/shared';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

/** An account's own row: what the webhook, the token provider and updates need. */
export type AccountConfigRow = Omit<AccountRow, 'token_expires_at' | 'sends_today' | 'last_message_at'>;

export interface AccountRow {
  id: string;
  kind: 'wechat_oa';
  name: string;
  app_id: string;
  original_id: string;
  mode: AccountMode;
  credentials: string;
  status: AccountStatus;
  credentials_error: string | null;
  callback_verified_at: Date | null;
  last_message_at: Date | null;
  last_api_error_code: number | null;
  last_api_error_at: Date | null;
  created_at: Date;
  token_expires_at: Date | null;
  sends_today: string;
}

const SELECT = `
  SELECT a.*, t.expires_at AS token_expires_at,
         (SELECT max(c.last_message_at) FROM conversations c WHERE c.account_id = a.id) AS last_message_at,
         (SELECT count(*) FROM messages m
           WHERE m.account_id = a.id AND m.direction = 'out' AND m.status = 'sent'
             AND m.created_at >= date_trunc('day', now())) AS sends_today
    FROM channel_accounts a LEFT JOIN access_tokens t ON t.account_id = a.id`;

@Injectable()
export class AccountsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async insert(a: {
    id: string;
    name: string;
    appId: string;
    originalId: string;
    mode: AccountMode;
    credentials: string;
  }): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO channel_accounts (id, kind, name, app_id, original_id, mode, credentials)
       VALUES ($1, 'wechat_oa', $2, $3, $4, $5, $6) ON CONFLICT (kind, app_id) DO NOTHING RETURNING id`,
      [a.id, a.name, a.appId, a.originalId, a.mode, a.credentials],
    );
    return rows.length === 1;
  }

  /** The row alone, without the health figures (which count today's sends): for hot and internal paths. */
  async findConfig(id: string): Promise<AccountConfigRow | undefined> {
    const rows: AccountConfigRow[] = await this.ds.query(`SELECT * FROM channel_accounts WHERE id = $1`, [id]);
    return rows[0];
  }

  /** The row with its health figures, for API answers. */
  async find(id: string): Promise<AccountRow | undefined> {
    const rows: AccountRow[] = await this.ds.query(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0];
  }

  /** All accounts, or only those in `ids` when given. */
  async list(ids?: string[]): Promise<AccountRow[]> {
    if (ids) return this.ds.query(`${SELECT} WHERE a.id = ANY($1::uuid[]) ORDER BY a.created_at`, [ids]);
    return this.ds.query(`${SELECT} ORDER BY a.created_at`);
  }

  async update(
    id: string,
    patch: Partial<{
      name: string;
      originalId: string;
      mode: AccountMode;
      status: AccountStatus;
      credentials: string;
      credentialsChanged: boolean;
    }>,
  ): Promise<void> {
    await this.ds.query(
      `UPDATE channel_accounts SET
         name = COALESCE($2, name), original_id = COALESCE($3, original_id), mode = COALESCE($4, mode),
         status = COALESCE($5, status), credentials = COALESCE($6, credentials),
         credentials_error = CASE WHEN $7 THEN NULL ELSE credentials_error END,
         callback_verified_at = CASE WHEN $7 THEN NULL ELSE callback_verified_at END,
         updated_at = now()
       WHERE id = $1`,
      [
        id,
        patch.name ?? null,
        patch.originalId ?? null,
        patch.mode ?? null,
        patch.status ?? null,
        patch.credentials ?? null,
        patch.credentialsChanged ?? false,
      ],
    );
    if (patch.credentialsChanged) await this.ds.query(`DELETE FROM access_tokens WHERE account_id = $1`, [id]);
  }

  async delete(id: string): Promise<boolean> {
    // (TypeORM answers a bare DELETE … RETURNING as [rows, count]; a CTE keeps it a plain row list.)
    const rows: unknown[] = await this.ds.query(
      `WITH d AS (DELETE FROM channel_accounts WHERE id = $1 RETURNING id) SELECT id FROM d`,
      [id],
    );
    return rows.length === 1;
  }

  /** Replaces the members; answers the ids that are not agents or supervisors (nothing is written then). */
  async setMembers(accountId: string, userIds: string[]): Promise<string[]> {
    return this.ds.transaction(async (em) => {
      const ok: { id: string }[] = await em.query(
        `SELECT id FROM users WHERE id = ANY($1::uuid[]) AND role IN ('agent', 'supervisor')`,
        [userIds],
      );
      const found = new Set(ok.map((r) => r.id));
      const bad = userIds.filter((u) => !found.has(u));
      if (bad.length) return bad;
      await em.query(`DELETE FROM account_members WHERE account_id = $1`, [accountId]);
      await em.query(
        `INSERT INTO account_members (account_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [accountId, userIds],
      );
      return [];
    });
  }

  async members(accountId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await this.ds.query(
      `SELECT user_id FROM account_members WHERE account_id = $1 ORDER BY user_id`,
      [accountId],
    );
    return rows.map((r) => r.user_id);
  }

  async accountIdsOfMember(userId: string): Promise<string[]> {
    const rows: { account_id: string }[] = await this.ds.query(
      `SELECT account_id FROM account_members WHERE user_id = $1`,
      [userId],
    );
    return rows.map((r) => r.account_id);
  }

  async allIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM channel_accounts ORDER BY created_at`);
    return rows.map((r) => r.id);
  }

  async markCallbackVerified(id: string): Promise<void> {
    await this.ds.query(`UPDATE channel_accounts SET callback_verified_at = now() WHERE id = $1`, [id]);
  }

  async markCredentialsBroken(id: string, reason: string, code: number): Promise<void> {
    await this.ds.query(
      `UPDATE channel_accounts SET credentials_error = $2, last_api_error_code = $3, last_api_error_at = now() WHERE id = $1`,
      [id, reason, code],
    );
  }

  async recordApiError(id: string, code: number): Promise<void> {
    await this.ds.query(
      `UPDATE channel_accounts SET last_api_error_code = $2, last_api_error_at = now() WHERE id = $1`,
      [id, code],
    );
  }
}

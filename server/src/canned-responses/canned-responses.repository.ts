import { Inject, Injectable } from '@nestjs/common';
import type { CannedResponse } from '@inbox/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface CannedResponseRow {
  id: string;
  account_id: string | null;
  shortcut: string;
  text: string;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, account_id, shortcut, text, created_by, created_at, updated_at';

export function toCannedResponse(r: CannedResponseRow): CannedResponse {
  return {
    id: r.id,
    accountId: r.account_id,
    shortcut: r.shortcut,
    text: r.text,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

@Injectable()
export class CannedResponsesRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /** The global ones and those of the given accounts, by shortcut (global first on a tie). */
  async list(accountIds: string[]): Promise<CannedResponseRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM canned_responses
        WHERE account_id IS NULL OR account_id = ANY($1::uuid[])
        ORDER BY lower(shortcut), account_id NULLS FIRST, id`,
      [accountIds],
    );
  }

  /** `em`: inside the caller's transaction (a reply reads the canned text under the conversation's lock). */
  async find(id: string, em: EntityManager = this.ds.manager): Promise<CannedResponseRow | undefined> {
    const rows: CannedResponseRow[] = await em.query(`SELECT ${COLUMNS} FROM canned_responses WHERE id = $1`, [id]);
    return rows[0];
  }

  /** The row, locked until the transaction ends (an edit reads what it changes under the lock). */
  async findForUpdate(em: EntityManager, id: string): Promise<CannedResponseRow | undefined> {
    const rows: CannedResponseRow[] = await em.query(
      `SELECT ${COLUMNS} FROM canned_responses WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  /**
   * Serialises writes to one scope (an account, or the global list) until the transaction ends, so the shortcut
   * check and the write that follows it cannot interleave with another's.
   */
  async lockScope(em: EntityManager, accountId: string | null): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('canned-responses:' || $1))`, [accountId ?? 'global']);
  }

  /** Shortcuts are unique per scope, whatever their case. */
  async shortcutTaken(
    em: EntityManager,
    accountId: string | null,
    shortcut: string,
    exceptId: string | null,
  ): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM canned_responses
        WHERE account_id IS NOT DISTINCT FROM $1::uuid AND lower(shortcut) = lower($2) AND id IS DISTINCT FROM $3::uuid`,
      [accountId, shortcut, exceptId],
    );
    return rows.length > 0;
  }

  async insert(
    em: EntityManager,
    c: { accountId: string | null; shortcut: string; text: string; createdBy: string },
  ): Promise<CannedResponseRow> {
    const rows: CannedResponseRow[] = await em.query(
      `INSERT INTO canned_responses (account_id, shortcut, text, created_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [c.accountId, c.shortcut, c.text, c.createdBy],
    );
    return rows[0]!;
  }

  async update(
    em: EntityManager,
    id: string,
    c: { accountId: string | null; shortcut: string; text: string },
  ): Promise<CannedResponseRow | undefined> {
    const rows: CannedResponseRow[] = await em.query(
      `WITH u AS (
         UPDATE canned_responses SET account_id = $2, shortcut = $3, text = $4, updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS})
       SELECT * FROM u`,
      [id, c.accountId, c.shortcut, c.text],
    );
    return rows[0];
  }

  async delete(id: string, em: EntityManager = this.ds.manager): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `WITH d AS (DELETE FROM canned_responses WHERE id = $1 RETURNING id) SELECT id FROM d`,
      [id],
    );
    return rows.length === 1;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface SecondFactorRow {
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | null;
}

/** The TOTP columns of `users` and the `recovery_codes` table. */
@Injectable()
export class SecondFactorRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async find(userId: string): Promise<SecondFactorRow | undefined> {
    const rows: SecondFactorRow[] = await this.ds.query(
      `SELECT totp_secret, totp_pending_secret, totp_enabled_at, totp_last_step::text AS totp_last_step
         FROM users WHERE id = $1`,
      [userId],
    );
    return rows[0];
  }

  async setPending(userId: string, sealed: string): Promise<void> {
    await this.ds.query(`UPDATE users SET totp_pending_secret = $2, updated_at = now() WHERE id = $1`, [
      userId,
      sealed,
    ]);
  }

  /**
   * Makes the pending seed the enrolled one (with the step of the code that confirmed it) and
   * replaces the recovery codes, in one transaction. False when it was enrolled meanwhile or the
   * pending seed changed.
   */
  async enable(userId: string, pendingSealed: string, step: number, codeHashes: Buffer[]): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const rows: unknown[] = await em.query(
        `WITH u AS (
           UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,
                  totp_enabled_at = now(), totp_last_step = $3, updated_at = now()
            WHERE id = $1 AND totp_secret IS NULL AND totp_pending_secret = $2 RETURNING id)
         SELECT id FROM u`,
        [userId, pendingSealed, step],
      );
      if (rows.length !== 1) return false;
      await this.replaceCodes(em, userId, codeHashes);
      return true;
    });
  }

  async replaceRecoveryCodes(userId: string, codeHashes: Buffer[]): Promise<void> {
    await this.ds.transaction((em) => this.replaceCodes(em, userId, codeHashes));
  }

  private async replaceCodes(em: { query: DataSource['query'] }, userId: string, codeHashes: Buffer[]): Promise<void> {
    await em.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    await em.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, [
      userId,
      codeHashes,
    ]);
  }

  /** Removes the second factor; true when one (or a pending one) was there. */
  async clear(userId: string): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const rows: Array<{ had: boolean }> = await em.query(
        `WITH old AS (SELECT totp_secret IS NOT NULL AS had FROM users WHERE id = $1 FOR UPDATE),
              u AS (UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL,
                           totp_last_step = NULL, updated_at = now()
                     WHERE id = $1 RETURNING id)
         SELECT old.had FROM old, u`,
        [userId],
      );
      await em.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
      return rows[0]?.had === true;
    });
  }

  /** Records a TOTP step as used; false when it (or a later one) was used already: a replay. */
  async useStep(userId: string, step: number): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `WITH u AS (
         UPDATE users SET totp_last_step = $2
          WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)
         RETURNING id)
       SELECT id FROM u`,
      [userId, step],
    );
    return rows.length === 1;
  }

  /** Uses up a recovery code; false when unknown or already used. */
  async consumeRecoveryCode(userId: string, codeHash: Buffer): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `WITH u AS (
         UPDATE recovery_codes SET used_at = now()
          WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id)
       SELECT id FROM u`,
      [userId, codeHash],
    );
    return rows.length === 1;
  }

  async unusedRecoveryCodes(userId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.ds.query(
      `SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return rows[0]?.n ?? 0;
  }
}

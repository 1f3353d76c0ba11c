import type { DataSource, EntityManager } from 'typeorm';

/** A column holding SecretBox-sealed values, and the associated data each value is bound to. */
export interface SealedColumn {
  table: string;
  key: string;
  column: string;
  aad: (key: string) => string;
}

/**
 * Every sealed value in the database. A new sealed column must be added here, or key rotation
 * would leave it under the old key (the rotation test checks a dump for plaintext and old key ids).
 */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  // AccountsService.sealCredentials: AppSecret, Token, EncodingAESKey (+ previous).
  { table: 'channel_accounts', key: 'id', column: 'credentials', aad: (id) => `account:${id}` },
  // WechatTokenProvider: the cached access token, bound to its account id.
  { table: 'access_tokens', key: 'account_id', column: 'token_sealed', aad: (id) => id },
  // TotpService: enrolled and pending TOTP seeds.
  { table: 'users', key: 'id', column: 'totp_secret', aad: (id) => `totp:${id}` },
  { table: 'users', key: 'id', column: 'totp_pending_secret', aad: (id) => `totp:${id}` },
];

/** The SQL of key rotation (table and column names come from SEALED_COLUMNS, never from input). */
export class SealedValuesRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /** Every non-null value of the column, locked until the transaction ends. */
  async lockAll(em: EntityManager, c: SealedColumn): Promise<Array<{ key: string; sealed: string }>> {
    return em.query(
      `SELECT "${c.key}"::text AS key, "${c.column}" AS sealed FROM "${c.table}"
        WHERE "${c.column}" IS NOT NULL ORDER BY 1 FOR UPDATE`,
    );
  }

  async update(em: EntityManager, c: SealedColumn, key: string, sealed: string): Promise<void> {
    await em.query(`UPDATE "${c.table}" SET "${c.column}" = $2 WHERE "${c.key}"::text = $1`, [key, sealed]);
  }

  /** How many values of each column are sealed under each key id. */
  async usage(): Promise<Array<{ column: string; keyId: string; count: number }>> {
    const out: Array<{ column: string; keyId: string; count: number }> = [];
    for (const c of SEALED_COLUMNS) {
      const rows: Array<{ key_id: string; n: number }> = await this.ds.query(
        `SELECT split_part("${c.column}", ':', 2) AS key_id, count(*)::int AS n FROM "${c.table}"
          WHERE "${c.column}" IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      for (const r of rows) out.push({ column: `${c.table}.${c.column}`, keyId: r.key_id, count: r.n });
    }
    return out;
  }
}

import { join } from 'node:path';
import type { AppConfig } from '../config/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

export interface DatabaseTarget {
  url: string;
  embedded: EmbeddedDatabase | undefined;
}

/** `DATABASE_URL` when set; otherwise the embedded PostgreSQL in `DATA_DIR/pg`. */
export async function resolveDatabase(config: AppConfig, notice: (m: string) => void): Promise<DatabaseTarget> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: undefined };
  const embedded = await startEmbeddedPostgres({ dir: config.embeddedPgDir ?? join(config.dataDir, 'pg'), notice });
  return { url: embedded.url, embedded };
}

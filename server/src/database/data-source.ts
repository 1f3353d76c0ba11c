import { MIGRATIONS } from '@inbox/migrations';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';

export const DATA_SOURCE = Symbol('DATA_SOURCE');

/** The one DataSource of the process. Schema changes only through migrations, never synchronize. */
export function createDataSource(url: string, poolSize = 20): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, application_name: 'wechat-inbox' },
  });
}

/** A fixed key for pg_advisory_lock so several instances starting together migrate one at a time. */
const MIGRATION_LOCK = 7_340_117;

export async function runMigrations(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * SQL that would bring the database to the entities' shape. Empty when migrations and entities
 * agree: this is the drift check (`npm run db:check`, and a test).
 */
export async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

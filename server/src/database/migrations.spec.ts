import { createTestDatabase } from '../../test/db';
import { createDataSource, pendingSchemaChanges, runMigrations } from './data-source';

describe('migrations', () => {
  it('build exactly the schema the entities describe (drift check), and revert cleanly', async () => {
    const db = await createTestDatabase();
    const ds = createDataSource(db.url, 2);
    await ds.initialize();
    try {
      expect(await runMigrations(ds)).toEqual([]); // the template already has them all
      expect(await pendingSchemaChanges(ds)).toEqual([]);
      const total = ds.migrations.length;
      for (let i = 0; i < total; i++) await ds.undoLastMigration();
      const tables: { n: string }[] = await ds.query(
        `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
      );
      expect(tables[0]?.n).toBe('0');
      expect((await runMigrations(ds)).length).toBe(total);
      expect(await pendingSchemaChanges(ds)).toEqual([]);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});

/* Database commands: `npm run db:migrate | db:revert | db:generate -- Name | db:check`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/config';
import { resolveDatabase } from '../database/connect';
import { createDataSource, pendingSchemaChanges, runMigrations } from '../database/data-source';

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig();
  const db = await resolveDatabase(config, (m) => console.error(m));
  const ds = createDataSource(db.url, 2);
  await ds.initialize();
  try {
    switch (command ?? '') {
      case 'migrate': {
        const done = await runMigrations(ds);
        console.log(done.length ? `Applied: ${done.join(', ')}` : 'Nothing to migrate.');
        return 0;
      }
      case 'revert':
        await ds.undoLastMigration({ transaction: 'each' });
        console.log('Reverted the last migration.');
        return 0;
      case 'check': {
        await runMigrations(ds);
        const sql = await pendingSchemaChanges(ds);
        if (sql.length === 0) {
          console.log('Entities and migrations agree.');
          return 0;
        }
        console.error(`Entities and migrations drift; a migration needs:\n${sql.join(';\n')};`);
        return 1;
      }
      case 'generate': {
        if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
          console.error('Usage: npm run db:generate -- PascalCaseName');
          return 2;
        }
        await runMigrations(ds);
        const log = await ds.driver.createSchemaBuilder().log();
        if (log.upQueries.length === 0) {
          console.log('No changes.');
          return 0;
        }
        const ts = Date.now();
        const up = log.upQueries.map((q) => `    await q.query(\`${q.query.replace(/`/g, '\\`')}\`);`).join('\n');
        const down = log.downQueries
          .reverse()
          .map((q) => `    await q.query(\`${q.query.replace(/`/g, '\\`')}\`);`)
          .join('\n');
        const file = join(__dirname, '../../../migrations/src', `${ts}-${name}.ts`);
        writeFileSync(
          file,
          `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${ts} implements MigrationInterface {\n  name = '${name}${ts}';\n\n  async up(q: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
        );
        console.log(`Wrote ${file}; review it and add it to migrations/src/index.ts.`);
        return 0;
      }
      default:
        console.error('Usage: db.js migrate | revert | check | generate Name');
        return 2;
    }
  } finally {
    await ds.destroy();
    await db.embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);

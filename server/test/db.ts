import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A fresh database per test file, copied from the run's template (migrations already applied),
 * so suites never share rows. `npm test` sets the variables; see scripts/test.mjs.
 */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests with \`npm test\` from the repository root`);
  return v;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = env('TEST_DATABASE_ADMIN_URL');
  const template = env('TEST_DATABASE_TEMPLATE');
  const name = `${env('TEST_DB_PREFIX')}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

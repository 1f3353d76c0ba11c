import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { createApp } from './app';
import type { AppConfig } from './config/config';
import { createLogger } from './common/logger';
import { resolveDatabase, type DatabaseTarget } from './database/connect';
import { createDataSource, runMigrations } from './database/data-source';
import { UsersService } from './users/users.service';

export interface RunningServer {
  app: NestFastifyApplication;
  url: string;
  port: number;
  dataSource: DataSource;
  db: DatabaseTarget;
  logger: Logger;
  firstAdmin: { email: string; generatedPassword?: string } | undefined;
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
    return {
      app: running,
      url: `http://localhost:${port}`,
      port,
      dataSource,
      db,
      logger,
      firstAdmin,
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

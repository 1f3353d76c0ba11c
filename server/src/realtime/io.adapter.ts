import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';

/**
 * socket.io over websocket only (no sticky sessions needed), with broadcasts crossing instances
 * through PostgreSQL LISTEN/NOTIFY (`@socket.io/postgres-adapter`), or Redis when REDIS_URL is set.
 */
export class InboxIoAdapter extends IoAdapter {
  private readonly closers: Array<() => Promise<unknown>> = [];

  constructor(
    app: INestApplicationContext,
    private readonly opts: { databaseUrl: string; redisUrl: string | undefined; logger: Logger },
  ) {
    super(app);
  }

  /** Connects the cross-instance adapter before the server is created. */
  async connect(): Promise<void> {
    if (this.opts.redisUrl) {
      const pub = createClient({ url: this.opts.redisUrl });
      const sub = pub.duplicate();
      pub.on('error', (err: unknown) => this.opts.logger.error({ err }, 'redis adapter error'));
      sub.on('error', (err: unknown) => this.opts.logger.error({ err }, 'redis adapter error'));
      await Promise.all([pub.connect(), sub.connect()]);
      this.adapterFactory = createRedisAdapter(pub, sub);
      this.closers.push(
        () => pub.quit(),
        () => sub.quit(),
      );
    } else {
      const pool = new Pool({
        connectionString: this.opts.databaseUrl,
        max: 2,
        application_name: 'wechat-inbox-socket.io',
      });
      pool.on('error', (err) => this.opts.logger.error({ err }, 'socket.io postgres adapter error'));
      this.adapterFactory = createPostgresAdapter(pool, {
        tableName: 'socket_io_attachments',
        heartbeatInterval: 5000,
      });
      this.closers.push(() => pool.end());
    }
  }

  private adapterFactory: ReturnType<typeof createPostgresAdapter> | ReturnType<typeof createRedisAdapter> | undefined;

  override createIOServer(port: number, options?: ServerOptions): Server {
    const opts = { ...options, path: '/socket.io', transports: ['websocket'], serveClient: false } as ServerOptions;
    const server = super.createIOServer(port, opts);
    if (this.adapterFactory) server.adapter(this.adapterFactory);
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const close of this.closers.splice(0)) await close().catch(() => undefined);
  }
}

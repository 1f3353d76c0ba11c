import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { HealthResponse, ReadyResponse } from '@inbox/shared';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/auth.context';
import { DATA_SOURCE } from '../database/data-source';

@Controller()
@Public()
export class HealthController {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** Liveness: the process answers. */
  @Get('health')
  health(): HealthResponse {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and every migration is applied. 503 otherwise. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyResponse> {
    let database: ReadyResponse['database'] = 'down';
    let migrations: ReadyResponse['migrations'] = 'unknown';
    try {
      await this.ds.query('SELECT 1');
      database = 'up';
      migrations = (await this.ds.showMigrations()) ? 'pending' : 'applied';
    } catch {
      // reported below
    }
    const ready = database === 'up' && migrations === 'applied';
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', database, migrations };
  }
}

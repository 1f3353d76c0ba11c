import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { LOGGER } from '../config/config.module';
import { DATA_SOURCE } from '../database/data-source';

export const DELIVERY_QUEUE = 'outbound.deliver';

export interface DeliveryJob {
  messageId: string;
}

/**
 * pg-boss on the app's own PostgreSQL (schema `pgboss`), started in every instance. Jobs are
 * enqueued inside the caller's transaction, so a message row and its delivery job commit together.
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnApplicationShutdown {
  readonly boss: PgBoss;

  constructor(
    @Inject(DATA_SOURCE) ds: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const options = ds.options as { url?: string };
    this.boss = new PgBoss({
      connectionString: options.url,
      max: 4,
      application_name: 'wechat-inbox-jobs',
      schema: 'pgboss',
    });
    this.boss.on('error', (err) => this.logger.error({ err }, 'job queue error'));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    // Transient failures retry with exponential backoff (2 s, 4 s, 8 s, …), 6 tries in all.
    await this.boss.createQueue(DELIVERY_QUEUE, {
      name: DELIVERY_QUEUE,
      retryLimit: 5,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: 120,
    });
  }

  private deliveryWorkerId: string | undefined;

  setDeliveryWorker(id: string): void {
    this.deliveryWorkerId = id;
  }

  /** Wakes this instance's delivery worker at once instead of at its next poll (call after commit). */
  nudgeDelivery(): void {
    if (this.deliveryWorkerId) this.boss.notifyWorker(this.deliveryWorkerId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => undefined);
  }

  /** Enqueues a delivery in the caller's transaction. */
  async enqueueDelivery(em: EntityManager, job: DeliveryJob): Promise<void> {
    await this.boss.send(DELIVERY_QUEUE, job, {
      db: {
        executeSql: async (text: string, values: unknown[]) => ({ rows: (await em.query(text, values)) as unknown[] }),
      },
    });
  }
}

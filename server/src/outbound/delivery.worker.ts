import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { WechatApiClient } from '../channels/wechat/wechat-api.client';
import { isWechatApiError, type WechatApiError } from '../channels/wechat/wechat-errors';
import { WechatTokenProvider } from '../channels/wechat/wechat-token.provider';
import { LOGGER } from '../config/config.module';
import { InboxEvents } from '../events/inbox-events';
import { DeliveryRepository, type DeliveryTarget } from './delivery.repository';
import { DELIVERY_QUEUE, JobQueue, type DeliveryJob } from './job-queue';

/** At most this many sends of one account in flight per instance, so one busy account cannot starve the rest. */
export const PER_ACCOUNT_CONCURRENCY = 2;

class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Delivers queued replies through the conversation's own account (pg-boss worker in every
 * instance). Outcomes: sent; failed with WeChat's code and a plain-words reason (permanent errors
 * never retry); transient errors (-1, 45011, 5xx, refused connection) retry with exponential backoff
 * until the queue's retry limit, then fail. A timeout or dropped connection may have delivered the
 * message (WeChat has no idempotency key), so it is not retried blindly: it fails with that reason.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap {
  private readonly perAccount = new Map<string, Semaphore>();

  constructor(
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(DeliveryRepository) private readonly repo: DeliveryRepository,
    @Inject(WechatTokenProvider) private readonly tokens: WechatTokenProvider,
    @Inject(WechatApiClient) private readonly api: WechatApiClient,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const workerId = await this.jobs.boss.work<DeliveryJob>(
      DELIVERY_QUEUE,
      { batchSize: 10, pollingIntervalSeconds: 0.5, includeMetadata: true },
      async (jobs) => {
        // A failed job in the batch is rethrown after the others finished, so pg-boss retries it.
        const results = await Promise.allSettled(jobs.map((job) => this.deliver(job)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      },
    );
    this.jobs.setDeliveryWorker(workerId);
  }

  private semaphore(accountId: string): Semaphore {
    let s = this.perAccount.get(accountId);
    if (!s) this.perAccount.set(accountId, (s = new Semaphore(PER_ACCOUNT_CONCURRENCY)));
    return s;
  }

  async deliver(job: PgBoss.JobWithMetadata<DeliveryJob>): Promise<void> {
    const target = await this.repo.target(job.data.messageId);
    if (!target || (target.status !== 'queued' && target.status !== 'sending')) return; // already final
    await this.semaphore(target.accountId).run(() => this.send(target, job.retryCount >= job.retryLimit));
  }

  private async send(t: DeliveryTarget, lastTry: boolean): Promise<void> {
    await this.update(t, 'sending', null);
    try {
      await this.tokens.withToken(t.accountId, (token) =>
        this.api.sendCustomMessage(token, { touser: t.openid, msgtype: 'text', text: { content: t.text ?? '' } }),
      );
    } catch (err) {
      if (!isWechatApiError(err)) {
        if (lastTry) {
          await this.update(t, 'failed', {
            code: 'internal',
            reason: 'The reply could not be sent because of an internal error',
          });
          return;
        }
        await this.update(t, 'queued', null);
        throw err;
      }
      await this.failed(t, err, lastTry);
      return;
    }
    await this.update(t, 'sent', null);
  }

  private async failed(t: DeliveryTarget, err: WechatApiError, lastTry: boolean): Promise<void> {
    const code = err.errcode === null ? (err.transport ?? 'network') : String(err.errcode);
    const reason = err.reason.en;
    if (err.errcode !== null) await this.repo.recordApiError(t.accountId, err.errcode);
    this.logger.warn({ messageId: t.messageId, accountId: t.accountId, code, kind: err.kind }, 'reply not delivered');
    if (err.kind === 'transient' && !err.maybeDelivered && !lastTry) {
      await this.update(t, 'queued', { code, reason: `Retrying: ${reason}` });
      throw err; // pg-boss retries with backoff
    }
    if (err.errcode === 45015 || err.errcode === 45047)
      await this.repo.closeWindow(t.conversationId, err.errcode === 45015);
    else if (!err.maybeDelivered) await this.repo.refundSend(t.conversationId);
    const final = err.maybeDelivered
      ? `${reason} The reply may or may not have reached the customer; it was not resent.`
      : reason;
    await this.update(t, 'failed', { code, reason: final });
    if (err.errcode === 45015 || err.errcode === 45047) {
      this.events.emit('conversation.changed', {
        conversationId: t.conversationId,
        accountId: t.accountId,
        created: false,
      });
    }
  }

  private async update(
    t: DeliveryTarget,
    status: 'sending' | 'sent' | 'failed' | 'queued',
    error: { code: string; reason: string } | null,
  ): Promise<void> {
    if (await this.repo.setStatus(t.messageId, status, error)) {
      this.events.emit('message.updated', {
        messageId: t.messageId,
        accountId: t.accountId,
        conversationId: t.conversationId,
      });
    }
  }
}

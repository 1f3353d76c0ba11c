import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { WechatApiClient, WechatMediaRejectedError, type CustomMessage } from '../channels/wechat/wechat-api.client';
import { isWechatApiError, WechatApiError } from '../channels/wechat/wechat-errors';
import { WechatTokenProvider } from '../channels/wechat/wechat-token.provider';
import { UUID } from '../common/uuid';
import type { AppConfig } from '../config/config';
import { APP_CONFIG, LOGGER } from '../config/config.module';
import { InboxEvents } from '../events/inbox-events';
import { uploadPath } from '../uploads/upload-files';
import { DeliveryRepository, type DeliveryTarget } from './delivery.repository';
import { DELIVERY_QUEUE, JobQueue, type DeliveryJob } from './job-queue';

/** At most this many sends of one account in flight per instance, so one busy account cannot starve the rest. */
export const PER_ACCOUNT_CONCURRENCY = 2;

/** WeChat keeps a temporary media 3 days (§7.2); its expiry is counted from before the upload call. */
export const MEDIA_TTL_SECONDS = 3 * 24 * 3600;
/** A cached media_id is reused only while it has at least this long left. */
export const MEDIA_REUSE_MARGIN_SECONDS = 3600;
/**
 * How long a worker may take to upload a file to WeChat before another may try: well over an upload call's client
 * timeout (10 s), so normally one upload; one that crashed blocks the file no longer than this (less than the delivery
 * queue's retries span), and one still running after it at worst leads to a second, harmless upload.
 */
export const UPLOAD_LEASE_SECONDS = 30;

const IMAGE_EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif' };

/** A reply that cannot go out for a reason of ours (its file is gone, WeChat would refuse it): never retried. */
class NotSendable extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Another worker is uploading the same file to WeChat right now: retried later (pg-boss backoff). */
class UploadBusy extends Error {
  constructor(uploadId: string) {
    super(`upload ${uploadId} is being uploaded to WeChat by another worker`);
  }
}

/**
 * An upload never reaches the customer, so even a timed-out one may be retried (unlike a custom send, whose
 * "maybe delivered" must not be repeated): the same error, known not to have delivered anything.
 */
function notDelivered(err: WechatApiError): WechatApiError {
  return new WechatApiError(err.errcode, err.errmsg, {
    kind: err.kind,
    reason: err.reason,
    ...(err.api !== undefined ? { api: err.api } : {}),
    ...(err.transport !== undefined ? { transport: err.transport } : {}),
    ...(err.httpStatus !== undefined ? { httpStatus: err.httpStatus } : {}),
    maybeDelivered: false,
  });
}

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
 *
 * An image reply needs WeChat's temporary media_id for its upload: the one cached on the upload while it has more
 * than MEDIA_REUSE_MARGIN_SECONDS left, else the file is uploaded (once: in this process concurrent sends share one
 * upload, across instances a short lease on the upload row, see uploadLeased) and the media_id cached before the
 * message is sent, so a retried send or a second reply with the same image does not upload again.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap {
  private readonly perAccount = new Map<string, Semaphore>();
  private readonly uploading = new Map<string, Promise<{ mediaId: string; uploaded: boolean }>>();

  constructor(
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(DeliveryRepository) private readonly repo: DeliveryRepository,
    @Inject(WechatTokenProvider) private readonly tokens: WechatTokenProvider,
    @Inject(WechatApiClient) private readonly api: WechatApiClient,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
      if (t.type === 'image') await this.sendImage(t);
      else await this.sendCustom(t, { touser: t.openid, msgtype: 'text', text: { content: t.text ?? '' } });
    } catch (err) {
      if (err instanceof NotSendable) {
        this.logger.warn({ messageId: t.messageId, accountId: t.accountId, code: err.code }, 'reply not sendable');
        await this.repo.refundSend(t.conversationId);
        await this.update(t, 'failed', { code: err.code, reason: err.reason });
        return;
      }
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

  private sendCustom(t: DeliveryTarget, body: CustomMessage): Promise<void> {
    return this.tokens.withToken(t.accountId, (token) => this.api.sendCustomMessage(token, body));
  }

  private async sendImage(t: DeliveryTarget): Promise<void> {
    const uploadId = typeof t.payload.uploadId === 'string' ? t.payload.uploadId : '';
    const image = (mediaId: string): CustomMessage => ({
      touser: t.openid,
      msgtype: 'image',
      image: { media_id: mediaId },
    });
    const media = await this.mediaFor(t.accountId, uploadId);
    try {
      await this.sendCustom(t, image(media.mediaId));
    } catch (err) {
      // A cached media_id WeChat no longer knows (40007: purged early, or another WeChat): upload again once, resend.
      if (media.uploaded || !isWechatApiError(err) || err.errcode !== 40007) throw err;
      await this.repo.forgetUploadMedia(uploadId, media.mediaId);
      await this.sendCustom(t, image((await this.mediaFor(t.accountId, uploadId)).mediaId));
    }
  }

  /** WeChat's media_id for an upload of the account: the cached one, else uploaded now (see the class comment). */
  private async mediaFor(accountId: string, uploadId: string): Promise<{ mediaId: string; uploaded: boolean }> {
    const gone = new NotSendable('uploads/not_found', 'The image is no longer stored; upload it again');
    if (!UUID.test(uploadId)) throw gone;
    const cached = await this.repo.upload(uploadId, accountId, MEDIA_REUSE_MARGIN_SECONDS);
    if (!cached) throw gone;
    if (cached.mediaId) return { mediaId: cached.mediaId, uploaded: false };
    let running = this.uploading.get(uploadId);
    if (!running) {
      running = this.uploadLeased(accountId, uploadId).finally(() => this.uploading.delete(uploadId));
      this.uploading.set(uploadId, running);
    }
    return running;
  }

  /**
   * Uploads the file to WeChat under a short lease on the upload row (claimed and given back in single statements:
   * no connection or transaction is held while WeChat answers). Another worker's running lease is a transient
   * failure: the job is retried after pg-boss's backoff and then finds the media_id that worker cached.
   */
  private async uploadLeased(accountId: string, uploadId: string): Promise<{ mediaId: string; uploaded: boolean }> {
    const row = await this.repo.claimUpload(uploadId, accountId, MEDIA_REUSE_MARGIN_SECONDS, UPLOAD_LEASE_SECONDS);
    if (!row) throw new NotSendable('uploads/not_found', 'The image is no longer stored; upload it again');
    if (row.lease === null) {
      if (row.mediaId) return { mediaId: row.mediaId, uploaded: false }; // another instance uploaded it meanwhile
      throw new UploadBusy(uploadId);
    }
    const lease = row.lease;
    let mediaId: string;
    try {
      const data = await readFile(uploadPath(this.config.dataDir, accountId, uploadId)).catch(() => {
        throw new NotSendable('uploads/not_found', 'The image file is no longer stored; upload it again');
      });
      const ext = IMAGE_EXTENSIONS[row.contentType] ?? 'jpg';
      try {
        const media = await this.tokens.withToken(accountId, (token) =>
          this.api.uploadMedia(token, 'image', data, `${uploadId}.${ext}`, row.contentType),
        );
        mediaId = media.mediaId;
      } catch (err) {
        if (err instanceof WechatMediaRejectedError) throw new NotSendable(err.code, err.message);
        throw isWechatApiError(err) ? notDelivered(err) : err;
      }
    } catch (err) {
      await this.repo.releaseUpload(uploadId, lease).catch((releaseErr: unknown) => {
        // The lease runs out by itself; the upload's own failure is what the job reports.
        this.logger.warn({ err: releaseErr, uploadId }, 'upload lease not released');
      });
      throw err;
    }
    const expiresAt = new Date(row.dbNow.getTime() + MEDIA_TTL_SECONDS * 1000);
    await this.repo.setUploadMedia(uploadId, lease, mediaId, expiresAt);
    return { mediaId, uploaded: true };
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

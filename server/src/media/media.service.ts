import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ReadStream } from 'node:fs';
import { AccountsService, type Viewer } from '../accounts/accounts.service';
import { WechatApiClient } from '../channels/wechat/wechat-api.client';
import { isWechatApiError } from '../channels/wechat/wechat-errors';
import { WechatTokenProvider } from '../channels/wechat/wechat-token.provider';
import { AppError } from '../common/app-error';
import type { AppConfig } from '../config/config';
import { APP_CONFIG, LOGGER } from '../config/config.module';
import { InboxEvents } from '../events/inbox-events';
import { JobQueue } from '../outbound/job-queue';
import { MediaRepository } from './media.repository';

export const MEDIA_QUEUE = 'media.download';
const MEDIA_TYPES = new Set(['image', 'voice', 'video', 'shortvideo']);

/**
 * Inbound media (image, voice, video) expires at WeChat after 3 days, so it is downloaded in the
 * background right after the push is stored — never on the webhook's path — into
 * DATA_DIR/media/<account>/<message>, and served only to users who may see that account.
 * A sweep at start re-enqueues media messages of the last 3 days that have no file yet.
 */
@Injectable()
export class MediaService implements OnApplicationBootstrap, OnModuleDestroy {
  private off: (() => void) | undefined;

  constructor(
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(MediaRepository) private readonly repo: MediaRepository,
    @Inject(WechatTokenProvider) private readonly tokens: WechatTokenProvider,
    @Inject(WechatApiClient) private readonly api: WechatApiClient,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private dir(accountId: string): string {
    return join(this.config.dataDir, 'media', accountId);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.boss.createQueue(MEDIA_QUEUE, {
      name: MEDIA_QUEUE,
      retryLimit: 4,
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: 120,
    });
    await this.jobs.boss.work<{ messageId: string }>(
      MEDIA_QUEUE,
      { batchSize: 4, pollingIntervalSeconds: 1 },
      async (jobs) => {
        for (const job of jobs) await this.download(job.data.messageId);
      },
    );
    this.off = this.events.on('message.created', async (e) => {
      if (
        e.message &&
        e.message.direction === 'in' &&
        MEDIA_TYPES.has(e.message.type) &&
        typeof e.message.payload.MediaId === 'string'
      ) {
        await this.enqueue(e.messageId);
      }
    });
    for (const id of await this.repo.missing(500)) await this.enqueue(id);
  }

  onModuleDestroy(): void {
    this.off?.();
  }

  private async enqueue(messageId: string): Promise<void> {
    await this.jobs.boss.send(MEDIA_QUEUE, { messageId }, { singletonKey: `media:${messageId}` });
  }

  /** Fetches one message's media through its own account. Transient errors throw (pg-boss retries). */
  async download(messageId: string): Promise<void> {
    const t = await this.repo.target(messageId);
    if (!t?.mediaId || t.payload.mediaUrl) return;
    try {
      const media = await this.tokens.withToken(t.accountId, (token) => this.api.getMedia(token, t.mediaId ?? ''));
      await mkdir(this.dir(t.accountId), { recursive: true });
      await writeFile(join(this.dir(t.accountId), messageId), media.data);
      await writeFile(join(this.dir(t.accountId), `${messageId}.type`), media.contentType);
      await this.repo.annotate(messageId, {
        mediaUrl: `/api/media/${messageId}`,
        mediaContentType: media.contentType,
        mediaSize: media.data.length,
      });
    } catch (err) {
      if (isWechatApiError(err) && err.kind !== 'transient') {
        await this.repo.annotate(messageId, { mediaError: err.reason.en, mediaErrorCode: err.errcode });
      } else {
        this.logger.warn(
          { messageId, err: err instanceof Error ? err.message : String(err) },
          'media download failed; will retry',
        );
        throw err;
      }
    }
    this.events.emit('message.updated', { messageId, accountId: t.accountId, conversationId: t.conversationId });
  }

  /** The stored file, for a viewer allowed to see the message's account; otherwise a 404. */
  async open(viewer: Viewer, messageId: string): Promise<{ stream: ReadStream; contentType: string }> {
    const notFound = new AppError('messages/not_found', 'No such media');
    if (!/^\d{1,19}$/.test(messageId)) throw notFound;
    const t = await this.repo.target(messageId);
    if (!t) throw notFound;
    await this.accounts.assertCanSee(viewer, t.accountId).catch(() => {
      throw notFound;
    });
    const file = join(this.dir(t.accountId), messageId);
    if (!existsSync(file)) throw notFound;
    const contentType = (await readFile(`${file}.type`, 'utf8').catch(() => 'application/octet-stream')).trim();
    return { stream: createReadStream(file), contentType };
  }
}

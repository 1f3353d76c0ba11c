import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface DeliveryTarget {
  messageId: string;
  conversationId: string;
  accountId: string;
  openid: string;
  type: string;
  text: string | null;
  payload: Record<string, unknown>;
  status: string | null;
}

/** The file an image reply sends, with WeChat's media_id for it while that is still good (else null). */
export interface UploadMedia {
  id: string;
  contentType: string;
  mediaId: string | null;
  /** The database clock when read (an expiry computed from it errs on the early side). */
  dbNow: Date;
}

@Injectable()
export class DeliveryRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async target(messageId: string): Promise<DeliveryTarget | undefined> {
    const rows: DeliveryTarget[] = await this.ds.query(
      `SELECT m.id AS "messageId", m.conversation_id AS "conversationId", m.account_id AS "accountId",
              k.external_id AS openid, m.type, m.text, m.payload, m.status
         FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN contacts k ON k.id = c.contact_id
        WHERE m.id = $1 AND m.direction = 'out' AND NOT m.private`,
      [messageId],
    );
    return rows[0];
  }

  /** Moves a message to a delivery state, only from the states that may precede it. */
  async setStatus(
    messageId: string,
    status: 'sending' | 'sent' | 'failed' | 'queued',
    error: { code: string; reason: string } | null,
  ): Promise<boolean> {
    const rows: { id: string }[] = await this.ds.query(
      `WITH u AS (
         UPDATE messages SET status = $2, error_code = $3, error_reason = $4
          WHERE id = $1 AND status IN ('queued', 'sending') RETURNING id)
       SELECT id FROM u`,
      [messageId, status, error?.code ?? null, error?.reason ?? null],
    );
    return rows.length === 1;
  }

  /** WeChat says the window is closed (45015) or its sends are used up (45047): the inbox agrees. */
  async closeWindow(conversationId: string, windowClosed: boolean): Promise<void> {
    await this.ds.query(
      `UPDATE conversations SET sends_left = 0, window_closes_at = CASE WHEN $2 THEN LEAST(window_closes_at, now()) ELSE window_closes_at END, updated_at = now() WHERE id = $1`,
      [conversationId, windowClosed],
    );
  }

  /** A send that never reached WeChat gives its reserved place in the quota back. */
  async refundSend(conversationId: string): Promise<void> {
    await this.ds.query(
      `UPDATE conversations SET sends_left = sends_left + 1, updated_at = now() WHERE id = $1 AND window_closes_at > now()`,
      [conversationId],
    );
  }

  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /**
   * The upload of an image reply, only if it belongs to the message's account. `mediaId` is the cached one when it
   * stays valid for at least `marginSeconds` more. With `em` the row is locked until that transaction ends.
   */
  async upload(
    uploadId: string,
    accountId: string,
    marginSeconds: number,
    em?: EntityManager,
  ): Promise<UploadMedia | undefined> {
    const rows: UploadMedia[] = await (em ?? this.ds.manager).query(
      `SELECT id, content_type AS "contentType", clock_timestamp() AS "dbNow",
              CASE WHEN wechat_media_expires_at > clock_timestamp() + make_interval(secs => $3) THEN wechat_media_id END
                AS "mediaId"
         FROM uploads WHERE id = $1 AND account_id = $2 ${em ? 'FOR UPDATE' : ''}`,
      [uploadId, accountId, marginSeconds],
    );
    return rows[0];
  }

  /** Caches WeChat's temporary media_id of an upload until `expiresAt`. */
  async setUploadMedia(em: EntityManager, uploadId: string, mediaId: string, expiresAt: Date): Promise<void> {
    await em.query(`UPDATE uploads SET wechat_media_id = $2, wechat_media_expires_at = $3 WHERE id = $1`, [
      uploadId,
      mediaId,
      expiresAt,
    ]);
  }

  /** Drops a cached media_id WeChat no longer knows (only if it is still that one). */
  async forgetUploadMedia(uploadId: string, mediaId: string): Promise<void> {
    await this.ds.query(
      `UPDATE uploads SET wechat_media_id = NULL, wechat_media_expires_at = NULL WHERE id = $1 AND wechat_media_id = $2`,
      [uploadId, mediaId],
    );
  }

  async recordApiError(accountId: string, code: number): Promise<void> {
    await this.ds.query(
      `UPDATE channel_accounts SET last_api_error_code = $2, last_api_error_at = now() WHERE id = $1`,
      [accountId, code],
    );
  }
}

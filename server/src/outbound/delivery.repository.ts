import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
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

  /**
   * The upload of an image reply, only if it belongs to the message's account. `mediaId` is the cached one when it
   * stays valid for at least `marginSeconds` more.
   */
  async upload(uploadId: string, accountId: string, marginSeconds: number): Promise<UploadMedia | undefined> {
    const rows: UploadMedia[] = await this.ds.query(
      `SELECT id, content_type AS "contentType", clock_timestamp() AS "dbNow",
              CASE WHEN wechat_media_expires_at > clock_timestamp() + make_interval(secs => $3) THEN wechat_media_id END
                AS "mediaId"
         FROM uploads WHERE id = $1 AND account_id = $2`,
      [uploadId, accountId, marginSeconds],
    );
    return rows[0];
  }

  /**
   * Takes the lease to upload an upload's file to WeChat, in one statement (no transaction stays open during the
   * upload): only when no good media_id is cached (`marginSeconds`) and no other worker's lease is running. `lease`
   * is set when it was taken (its exact value, to give it back), else `mediaId` says whether a good media_id is
   * cached meanwhile; neither means another worker is uploading it. Undefined when the upload is not the account's.
   */
  async claimUpload(
    uploadId: string,
    accountId: string,
    marginSeconds: number,
    leaseSeconds: number,
  ): Promise<(UploadMedia & { lease: string | null }) | undefined> {
    const rows: (UploadMedia & { lease: string | null })[] = await this.ds.query(
      `WITH claimed AS (
         UPDATE uploads SET uploading_until = now() + make_interval(secs => $4)
          WHERE id = $1 AND account_id = $2
            AND (uploading_until IS NULL OR uploading_until < now())
            AND NOT COALESCE(wechat_media_id IS NOT NULL AND wechat_media_expires_at > now() + make_interval(secs => $3), false)
          RETURNING id, uploading_until)
       SELECT u.id, u.content_type AS "contentType", now() AS "dbNow",
              CASE WHEN c.id IS NULL AND u.wechat_media_expires_at > now() + make_interval(secs => $3)
                THEN u.wechat_media_id END AS "mediaId",
              c.uploading_until::text AS lease
         FROM uploads u LEFT JOIN claimed c ON c.id = u.id
        WHERE u.id = $1 AND u.account_id = $2`,
      [uploadId, accountId, marginSeconds, leaseSeconds],
    );
    return rows[0];
  }

  /** Caches WeChat's temporary media_id of an upload until `expiresAt` and gives the upload lease `lease` back. */
  async setUploadMedia(uploadId: string, lease: string, mediaId: string, expiresAt: Date): Promise<void> {
    await this.ds.query(
      `UPDATE uploads SET wechat_media_id = $3, wechat_media_expires_at = $4,
              uploading_until = CASE WHEN uploading_until = $2::timestamptz THEN NULL ELSE uploading_until END
        WHERE id = $1`,
      [uploadId, lease, mediaId, expiresAt],
    );
  }

  /** Gives the upload lease `lease` back after a failed upload (unless it ran out and another worker took it). */
  async releaseUpload(uploadId: string, lease: string): Promise<void> {
    await this.ds.query(
      `UPDATE uploads SET uploading_until = NULL WHERE id = $1 AND uploading_until = $2::timestamptz`,
      [uploadId, lease],
    );
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

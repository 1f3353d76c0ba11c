import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface MediaTarget {
  messageId: string;
  conversationId: string;
  accountId: string;
  mediaId: string | null;
  payload: Record<string, unknown>;
}

@Injectable()
export class MediaRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async target(messageId: string): Promise<MediaTarget | undefined> {
    const rows: MediaTarget[] = await this.ds.query(
      `SELECT id AS "messageId", conversation_id AS "conversationId", account_id AS "accountId",
              payload->>'MediaId' AS "mediaId", payload
         FROM messages WHERE id = $1 AND direction = 'in'`,
      [messageId],
    );
    return rows[0];
  }

  /** Merges the stored file's facts (or the download error) into the message payload. */
  async annotate(messageId: string, fields: Record<string, unknown>): Promise<void> {
    await this.ds.query(`UPDATE messages SET payload = payload || $2::jsonb WHERE id = $1`, [
      messageId,
      JSON.stringify(fields),
    ]);
  }

  /** Inbound media messages of the last 3 days (WeChat keeps media that long) with no stored file yet. */
  async missing(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM messages
        WHERE direction = 'in' AND type IN ('image', 'voice', 'video', 'shortvideo') AND payload ? 'MediaId'
          AND NOT payload ? 'mediaUrl' AND NOT payload ? 'mediaError' AND created_at > now() - interval '3 days'
        ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }
}

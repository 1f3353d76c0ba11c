import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface UploadRow {
  id: string;
  account_id: string;
  user_id: string | null;
  kind: 'image';
  file_name: string;
  content_type: string;
  size: number;
  created_at: Date;
}

const COLUMNS = 'id, account_id, user_id, kind, file_name, content_type, size, created_at';

@Injectable()
export class UploadsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async insert(u: {
    id: string;
    accountId: string;
    userId: string;
    kind: 'image';
    fileName: string;
    contentType: string;
    size: number;
  }): Promise<UploadRow> {
    const rows: UploadRow[] = await this.ds.query(
      `INSERT INTO uploads (id, account_id, user_id, kind, file_name, content_type, size)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [u.id, u.accountId, u.userId, u.kind, u.fileName, u.contentType, u.size],
    );
    return rows[0]!;
  }

  /** `em`: inside the caller's transaction (a reply reads the upload it sends under the conversation's lock). */
  async find(id: string, em: EntityManager = this.ds.manager): Promise<UploadRow | undefined> {
    const rows: UploadRow[] = await em.query(`SELECT ${COLUMNS} FROM uploads WHERE id = $1`, [id]);
    return rows[0];
  }

  async accountOfConversation(conversationId: string): Promise<string | undefined> {
    const rows: { account_id: string }[] = await this.ds.query(`SELECT account_id FROM conversations WHERE id = $1`, [
      conversationId,
    ]);
    return rows[0]?.account_id;
  }
}

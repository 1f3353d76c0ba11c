import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

/** A customer the inbox already knows, with the window of its open conversation (to rebuild the sandbox). */
export interface KnownContactRow {
  account_id: string;
  openid: string;
  subscribed: boolean;
  window_closes_at: Date | null;
  sends_left: number | null;
}

/** The sandbox reads what the inbox stored, to come back after a restart with the customers it had. */
@Injectable()
export class SandboxRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** Every contact of the given accounts, with the window of its unresolved conversation if any. */
  async knownContacts(accountIds: string[]): Promise<KnownContactRow[]> {
    if (accountIds.length === 0) return [];
    return this.ds.query(
      `SELECT c.account_id, c.external_id AS openid, c.subscribed, conv.window_closes_at, conv.sends_left
         FROM contacts c
         LEFT JOIN conversations conv ON conv.contact_id = c.id AND conv.status <> 'resolved'
        WHERE c.account_id = ANY($1::uuid[])
        ORDER BY c.first_seen_at`,
      [accountIds],
    );
  }

  /** The unresolved conversation of a customer of an account. */
  async openConversationId(accountId: string, openid: string): Promise<string | undefined> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT conv.id FROM conversations conv JOIN contacts c ON c.id = conv.contact_id
        WHERE c.account_id = $1 AND c.external_id = $2 AND conv.status <> 'resolved'`,
      [accountId, openid],
    );
    return rows[0]?.id;
  }
}

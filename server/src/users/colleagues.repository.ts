import { Inject, Injectable } from '@nestjs/common';
import type { Colleague } from '@inbox/shared';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

/**
 * SQL: the user `user` (an SQL expression) is `actor` or a member of one of `actor`'s accounts, whatever
 * either's role or status (for scoping what a supervisor may change and which team members a caller sees).
 */
export function sharesAnAccount(user: string, actor: string): string {
  return `(${user} = ${actor} OR EXISTS (
            SELECT 1 FROM account_members theirs
              JOIN account_members mine ON mine.account_id = theirs.account_id AND mine.user_id = ${actor}
             WHERE theirs.user_id = ${user}))`;
}

/**
 * The people an account's users work with: active users who may see at least one of the given
 * accounts (admins and managers see every account), or every active user (`everyone`, for a caller who
 * sees every account). One statement; each colleague comes with the
 * accounts, among the given ones, they may see.
 */
@Injectable()
export class ColleaguesRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async among(accountIds: string[], everyone = false): Promise<Colleague[]> {
    return this.ds.query(
      `SELECT u.id, u.name, u.role,
              CASE WHEN u.role IN ('admin', 'manager') THEN $1::uuid[]
                   ELSE ARRAY(SELECT m.account_id FROM account_members m
                               WHERE m.user_id = u.id AND m.account_id = ANY($1::uuid[]) ORDER BY m.account_id) END
                AS "accountIds"
         FROM users u
        WHERE NOT u.disabled
          AND ($2 OR u.role IN ('admin', 'manager')
               OR EXISTS (SELECT 1 FROM account_members m WHERE m.user_id = u.id AND m.account_id = ANY($1::uuid[])))
        ORDER BY u.name, u.id`,
      [accountIds, everyone],
    );
  }
}

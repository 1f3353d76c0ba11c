import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@inbox/shared';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';
import { newUser, type MadeUser } from '../testing/factories/user.factory';

@Injectable()
export class DemoRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async userIdByEmail(email: string): Promise<string | undefined> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM users WHERE email = $1`, [email.toLowerCase()]);
    return rows[0]?.id;
  }

  /** Through the same factory the tests use. */
  createUser(user: { email: string; name: string; role: Role; password: string }): Promise<MadeUser> {
    return newUser(this.ds, user);
  }
}

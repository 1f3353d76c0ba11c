import { Controller, Get, Inject } from '@nestjs/common';
import type { Colleague } from '@inbox/shared';
import { AccountsService, seesAllAccounts } from '../accounts/accounts.service';
import { CurrentAuth, type AuthContext } from '../auth/auth.context';
import { ColleaguesRepository } from './colleagues.repository';

/** Names of the people the caller works with (assignees, senders, presence), for every role. */
@Controller('colleagues')
export class ColleaguesController {
  constructor(
    @Inject(ColleaguesRepository) private readonly colleagues: ColleaguesRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
  ) {}

  @Get()
  async list(@CurrentAuth() auth: AuthContext): Promise<Colleague[]> {
    const visible = await this.accounts.visibleAccountIds(auth.user);
    const list = await this.colleagues.among(visible, seesAllAccounts(auth.user.role));
    // A member of no account still sees themselves (and the admins and managers).
    return list.some((c) => c.id === auth.user.id)
      ? list
      : [...list, { id: auth.user.id, name: auth.user.name, role: auth.user.role, accountIds: [] }];
  }
}

import { Module } from '@nestjs/common';
import { AccountChanges } from './account-changes';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';

@Module({
  controllers: [AccountsController],
  providers: [AccountsRepository, AccountsService, AccountChanges],
  exports: [AccountsRepository, AccountsService, AccountChanges],
})
export class AccountsModule {}

import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AccountChanges } from './account-changes';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';

@Module({
  imports: [AuditModule],
  controllers: [AccountsController],
  providers: [AccountsRepository, AccountsService, AccountChanges],
  exports: [AccountsRepository, AccountsService, AccountChanges],
})
export class AccountsModule {}

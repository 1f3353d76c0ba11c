import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { SandboxModule } from '../sandbox/sandbox.module';
import { DemoRepository } from './demo.repository';
import { DemoService } from './demo.service';

/** Demo data on first start (`DEMO=1`); only with the sandbox. */
@Module({
  imports: [AccountsModule, ConversationsModule, SandboxModule],
  providers: [DemoService, DemoRepository],
  exports: [DemoService],
})
export class DemoModule {}

import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CannedResponsesModule } from '../canned-responses/canned-responses.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { LabelsModule } from '../labels/labels.module';
import { SandboxModule } from '../sandbox/sandbox.module';
import { TeamsModule } from '../teams/teams.module';
import { DemoRepository } from './demo.repository';
import { DemoService } from './demo.service';

/** Demo data on first start (`DEMO=1`); only with the sandbox. */
@Module({
  imports: [AccountsModule, ConversationsModule, SandboxModule, TeamsModule, LabelsModule, CannedResponsesModule],
  providers: [DemoService, DemoRepository],
  exports: [DemoService],
})
export class DemoModule {}

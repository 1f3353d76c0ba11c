import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { RealtimeGateway } from './realtime.gateway';

@Module({
  imports: [AuthModule, AccountsModule, ConversationsModule],
  providers: [RealtimeGateway],
})
export class RealtimeModule {}

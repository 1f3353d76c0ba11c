import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { PresenceController } from './presence.controller';
import { PresenceService } from './presence.service';
import { RealtimeGateway } from './realtime.gateway';
import { TypingService } from './typing.service';

@Module({
  imports: [AuthModule, AccountsModule, ConversationsModule],
  controllers: [PresenceController],
  providers: [RealtimeGateway, TypingService, PresenceService],
})
export class RealtimeModule {}

import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { WechatModule } from '../channels/wechat/wechat.module';
import { OutboundModule } from '../outbound/outbound.module';
import { MediaController } from './media.controller';
import { MediaRepository } from './media.repository';
import { MediaService } from './media.service';

@Module({
  imports: [AccountsModule, WechatModule, OutboundModule],
  controllers: [MediaController],
  providers: [MediaRepository, MediaService],
})
export class MediaModule {}

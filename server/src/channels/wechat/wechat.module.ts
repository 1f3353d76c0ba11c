import { Module } from '@nestjs/common';
import { AccountsModule } from '../../accounts/accounts.module';
import { IngestRepository } from '../../conversations/ingest.repository';
import { WechatWebhookService } from './wechat-webhook.service';

@Module({
  imports: [AccountsModule],
  providers: [WechatWebhookService, IngestRepository],
  exports: [WechatWebhookService],
})
export class WechatModule {}

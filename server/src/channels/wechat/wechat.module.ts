import { Module } from '@nestjs/common';
import { AccountsModule } from '../../accounts/accounts.module';
import { AccountsService } from '../../accounts/accounts.service';
import { IngestRepository } from '../../conversations/ingest.repository';
import { wechatApiClientProvider } from './wechat-api.client';
import { WECHAT_CREDENTIALS, WechatTokenProvider } from './wechat-token.provider';
import { WechatWebhookService } from './wechat-webhook.service';

@Module({
  imports: [AccountsModule],
  providers: [
    WechatWebhookService,
    IngestRepository,
    wechatApiClientProvider,
    { provide: WECHAT_CREDENTIALS, useExisting: AccountsService },
    WechatTokenProvider,
  ],
  exports: [WechatWebhookService, WechatTokenProvider, wechatApiClientProvider],
})
export class WechatModule {}

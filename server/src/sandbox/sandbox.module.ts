import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { WechatModule } from '../channels/wechat/wechat.module';
import { SandboxController } from './sandbox.controller';
import { SandboxRepository } from './sandbox.repository';
import { SandboxService } from './sandbox.service';

/** The built-in WeChat; AppModule imports it only with SANDBOX=1 (so `/api/sandbox` is 404 otherwise). */
@Module({
  imports: [AccountsModule, WechatModule],
  controllers: [SandboxController],
  providers: [SandboxService, SandboxRepository],
  exports: [SandboxService, SandboxRepository],
})
export class SandboxModule {}

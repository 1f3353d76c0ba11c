import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CannedResponsesModule } from './canned-responses/canned-responses.module';
import { WechatModule } from './channels/wechat/wechat.module';
import type { AppConfig } from './config/config';
import { CoreModule } from './config/config.module';
import { ConversationsModule } from './conversations/conversations.module';
import { DemoModule } from './demo/demo.module';
import { HealthModule } from './health/health.module';
import { LabelsModule } from './labels/labels.module';
import { MediaModule } from './media/media.module';
import { RealtimeModule } from './realtime/realtime.module';
import { SandboxModule } from './sandbox/sandbox.module';
import { TeamsModule } from './teams/teams.module';
import { UploadsModule } from './uploads/uploads.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, dataSource: DataSource, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, dataSource, logger),
        HealthModule,
        AuthModule,
        AuditModule,
        UsersModule,
        AccountsModule,
        WechatModule,
        ConversationsModule,
        TeamsModule,
        LabelsModule,
        RealtimeModule,
        MediaModule,
        UploadsModule,
        CannedResponsesModule,
        // The built-in WeChat and the demo exist only with SANDBOX=1 (so /api/sandbox is a 404 otherwise).
        ...(config.sandbox ? [SandboxModule, DemoModule] : []),
      ],
    };
  }
}

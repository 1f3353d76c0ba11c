import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SecondFactorRepository } from './second-factor.repository';
import { SecuritySettingsRepository } from './security-settings.repository';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { ThrottleRepository } from './throttle.repository';
import { ThrottleService } from './throttle.service';
import { TotpService } from './totp.service';

/**
 * The identity building blocks that several domains use (sessions, second factor, throttling,
 * security settings), with no controllers and no dependency on users or accounts, so both the
 * auth and the users modules can import it.
 */
@Module({
  imports: [AuditModule],
  providers: [
    SessionsRepository,
    SessionsService,
    SecondFactorRepository,
    TotpService,
    SecuritySettingsRepository,
    ThrottleRepository,
    ThrottleService,
  ],
  exports: [SessionsService, TotpService, SecuritySettingsRepository, ThrottleService],
})
export class SecurityModule {}

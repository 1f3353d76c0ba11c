import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import type { SecuritySettings } from '@inbox/shared';
import { Roles } from './auth.context';
import { SecuritySettingsDto } from './auth.dto';
import { AuthService } from './auth.service';

/** The 2FA policy ("required for roles …") and the per-user session cap. */
@Controller('settings/security')
@Roles('admin')
export class SecuritySettingsController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Get()
  get(): Promise<SecuritySettings> {
    return this.auth.securitySettings();
  }

  @Put()
  update(@Body() body: SecuritySettingsDto): Promise<SecuritySettings> {
    return this.auth.updateSecuritySettings(body);
  }
}

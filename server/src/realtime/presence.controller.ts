import { Controller, Get, Inject } from '@nestjs/common';
import type { PresenceResponse } from '@inbox/shared';
import { CurrentAuth, type AuthContext } from '../auth/auth.context';
import { PresenceService } from './presence.service';

@Controller('presence')
export class PresenceController {
  constructor(@Inject(PresenceService) private readonly presence: PresenceService) {}

  /** Who is online now among the colleagues the caller shares an account with (ids, sorted). */
  @Get()
  async get(@CurrentAuth() auth: AuthContext): Promise<PresenceResponse> {
    return { online: await this.presence.online(auth.user) };
  }
}

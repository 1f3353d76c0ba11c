import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type {
  LoginResponse,
  Me,
  RecoveryCodesResponse,
  RevokedSessions,
  SessionInfo,
  TotpSetupResponse,
} from '@inbox/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { ClientIp, CurrentAuth, DuringEnrolment, Public, type AuthContext } from './auth.context';
import { ChangePasswordDto, LoginDto, PasswordConfirmDto, TotpEnableDto } from './auth.dto';
import { AuthService } from './auth.service';
import { SESSION_ABSOLUTE_SECONDS, SESSION_COOKIE } from './sessions.service';

@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() body: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const { token, user } = await this.auth.login(body.email, body.password, body.totp, {
      ip: req.ip,
      userAgent: req.headers['user-agent'],
    });
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: SESSION_ABSOLUTE_SECONDS,
    });
    return { user };
  }

  @Post('logout')
  @DuringEnrolment()
  @HttpCode(204)
  async logout(@CurrentAuth() auth: AuthContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(auth);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @DuringEnrolment()
  me(@CurrentAuth() auth: AuthContext): Promise<Me> {
    return this.auth.me(auth);
  }

  /** Change my password (current + new); my other sessions are revoked. */
  @Post('password')
  @HttpCode(204)
  changePassword(
    @CurrentAuth() auth: AuthContext,
    @Body() body: ChangePasswordDto,
    @ClientIp() ip: string,
  ): Promise<void> {
    return this.auth.changePassword(auth, body.currentPassword, body.newPassword, ip);
  }

  @Get('sessions')
  sessions(@CurrentAuth() auth: AuthContext): Promise<SessionInfo[]> {
    return this.auth.listSessions(auth);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  revokeSession(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.auth.revokeSession(auth, id);
  }

  /** Log out everywhere else. */
  @Post('sessions/revoke-others')
  @HttpCode(200)
  revokeOthers(@CurrentAuth() auth: AuthContext): Promise<RevokedSessions> {
    return this.auth.revokeOtherSessions(auth);
  }

  @Post('totp/setup')
  @DuringEnrolment()
  @HttpCode(200)
  totpSetup(@CurrentAuth() auth: AuthContext): Promise<TotpSetupResponse> {
    return this.auth.totpSetup(auth);
  }

  @Post('totp/enable')
  @DuringEnrolment()
  @HttpCode(200)
  totpEnable(
    @CurrentAuth() auth: AuthContext,
    @Body() body: TotpEnableDto,
    @ClientIp() ip: string,
  ): Promise<RecoveryCodesResponse> {
    return this.auth.totpEnable(auth, body.code, ip);
  }

  @Post('totp/disable')
  @HttpCode(204)
  totpDisable(
    @CurrentAuth() auth: AuthContext,
    @Body() body: PasswordConfirmDto,
    @ClientIp() ip: string,
  ): Promise<void> {
    return this.auth.totpDisable(auth, body.password, ip);
  }

  @Post('totp/recovery-codes')
  @HttpCode(200)
  recoveryCodes(
    @CurrentAuth() auth: AuthContext,
    @Body() body: PasswordConfirmDto,
    @ClientIp() ip: string,
  ): Promise<RecoveryCodesResponse> {
    return this.auth.regenerateRecoveryCodes(auth, body.password, ip);
  }
}

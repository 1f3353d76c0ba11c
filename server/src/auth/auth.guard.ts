import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@inbox/shared';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/app-error';
import { requestContext } from '../common/request-context';
import { DURING_ENROLMENT, IS_PUBLIC, ROLES_KEY } from './auth.context';
import { AuthService } from './auth.service';
import { SESSION_COOKIE } from './sessions.service';

/**
 * Global guard: every route needs a live session unless marked @Public(); a session restricted by
 * the 2FA policy reaches only @DuringEnrolment() routes; @Roles() narrows further. Object-level
 * checks (which accounts a user may see) are the services' job, answered as 404.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const auth = await this.auth.authenticate(req.cookies[SESSION_COOKIE]);
    if (!auth) throw new AppError('auth/unauthenticated', 'Log in first');
    req.auth = auth;
    const context = requestContext();
    if (context) {
      context.userId = auth.user.id;
      context.email = auth.user.email;
    }
    if (auth.totpEnrolmentRequired && !this.reflector.getAllAndOverride<boolean>(DURING_ENROLMENT, targets)) {
      throw new AppError(
        'auth/totp_enrolment_required',
        'Set up two-factor authentication first (POST /api/auth/totp/setup, then /api/auth/totp/enable)',
      );
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(auth.user.role)) {
      throw new AppError('auth/forbidden', 'Your role does not allow this');
    }
    return true;
  }
}

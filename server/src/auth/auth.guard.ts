import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@inbox/shared';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/app-error';
import { IS_PUBLIC, ROLES_KEY } from './auth.context';
import { AuthService, SESSION_COOKIE } from './auth.service';

/** Global guard: every route needs a live session unless marked @Public(); @Roles() narrows further. */
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
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(auth.user.role)) {
      throw new AppError('auth/forbidden', 'Your role does not allow this');
    }
    return true;
  }
}

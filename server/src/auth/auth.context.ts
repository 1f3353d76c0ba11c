import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@inbox/shared';
import type { FastifyRequest } from 'fastify';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface AuthContext {
  user: AuthUser;
  sessionId: string;
  /** The user has TOTP enrolled. */
  totpEnabled: boolean;
  /** The 2FA policy requires TOTP for this role and none is enrolled: the session is restricted to enrolment. */
  totpEnrolmentRequired: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

export const IS_PUBLIC = 'auth:public';
export const ROLES_KEY = 'auth:roles';
export const DURING_ENROLMENT = 'auth:during-enrolment';

/** The route needs no session (login, health, WeChat callbacks). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/**
 * The route stays reachable for a session restricted by the 2FA policy (enrolment, me, logout);
 * every other route answers 403 `auth/totp_enrolment_required` to such a session.
 */
export const DuringEnrolment = (): MethodDecorator & ClassDecorator => SetMetadata(DURING_ENROLMENT, true);

/** The authenticated caller; the guard has made sure it is there. */
export const CurrentAuth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const auth = ctx.switchToHttp().getRequest<FastifyRequest>().auth;
  if (!auth) throw new Error('CurrentAuth used on a public route');
  return auth;
});

/** The client's address (behind a trusted proxy: from X-Forwarded-For). */
export const ClientIp = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string => ctx.switchToHttp().getRequest<FastifyRequest>().ip,
);

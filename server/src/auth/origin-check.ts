import type { ApiErrorBody } from '@inbox/shared';
import type { FastifyInstance } from 'fastify';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence in depth (the session cookie is already SameSite=Lax): a browser request that
 * names an Origin must come from this server — PUBLIC_URL's origin or the Host it was sent to.
 * Requests without an Origin (scripts, curl) are left to the cookie alone.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (origin === undefined) return true;
  try {
    const o = new URL(origin);
    return (host !== undefined && o.host === host) || o.origin === new URL(publicUrl).origin;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) and garbage
  }
}

/**
 * Refuses unsafe methods under /api from a foreign Origin with 403 `auth/origin_forbidden`, before
 * any body is read. The WeChat callbacks (/webhooks) are outside /api and never checked.
 */
export function registerOriginCheck(fastify: FastifyInstance, publicUrl: string): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    const path = req.url;
    if (!UNSAFE.has(req.method) || !(path === '/api' || path.startsWith('/api/') || path.startsWith('/api?'))) {
      return done();
    }
    const origin = req.headers.origin;
    if (originAllowed(origin, req.headers.host, publicUrl)) return done();
    const body: ApiErrorBody = {
      statusCode: 403,
      code: 'auth/origin_forbidden',
      message: 'This request came from another site',
    };
    void reply.status(403).header('content-type', 'application/json; charset=utf-8').send(body);
  });
}

import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { SANDBOX_API_PREFIX, type SandboxService } from './sandbox.service';
import { registerWechatApiRoutes } from './wechat-api.server';

/** The base URL this server can call itself at, from the address it listens on. */
export function ownUrlOf(address: AddressInfo | string | null): string | undefined {
  if (!address || typeof address === 'string') return undefined;
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Mounts WeChat's API side under `/sandbox/wechat` on the app's Fastify instance, and tells the sandbox where
 * the server listens once it does (port 0 is only known then). Call before `listen`.
 */
export async function mountSandbox(fastify: FastifyInstance, sandbox: SandboxService): Promise<void> {
  await fastify.register(async (scope) => {
    // A token request for an account linked since the last sync: WeChat would know the app, so load it first.
    scope.addHook('preHandler', async (req) => {
      const url = new URL(req.url, 'http://sandbox.invalid');
      if (url.pathname.endsWith('/cgi-bin/token')) {
        await sandbox.ensureApp(url.searchParams.get('appid') ?? undefined);
      } else if (url.pathname.endsWith('/cgi-bin/stable_token') && Buffer.isBuffer(req.body)) {
        await sandbox.ensureApp(appIdOf(req.body));
      }
    });
    await registerWechatApiRoutes(scope, sandbox.sim, SANDBOX_API_PREFIX);
  });
  fastify.addHook('onListen', function (this: FastifyInstance, done) {
    const url = ownUrlOf(this.server.address());
    if (url) sandbox.attach(url);
    done();
  });
}

function appIdOf(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const appid = typeof parsed === 'object' && parsed !== null ? (parsed as { appid?: unknown }).appid : undefined;
    return typeof appid === 'string' ? appid : undefined;
  } catch {
    return undefined;
  }
}

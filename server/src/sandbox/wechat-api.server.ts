/**
 * Puts the WeChat API simulator on HTTP with the paths and JSON of api.weixin.qq.com:
 * - `registerWechatApiRoutes(fastify, sim, '/sandbox/wechat')` mounts it on an existing Fastify instance
 *   (the app, for the local demo): WECHAT_API_BASE is then `<public url>/sandbox/wechat`;
 * - `startWechatApiServer(sim, { port: 0 })` runs it alone (tests).
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { WechatApiSimulator } from './wechat-api.simulator';

/** Generous: WeChat's largest upload is a 10 MB video; the simulator itself answers 40006-40012 for big files. */
const BODY_LIMIT = 32 * 1024 * 1024;

export async function registerWechatApiRoutes(
  app: FastifyInstance,
  sim: WechatApiSimulator,
  prefix = '/sandbox/wechat',
): Promise<void> {
  const mount = prefix.replace(/\/+$/, '');
  await app.register(
    async (scope) => {
      // Raw bytes for every content type, only inside this plugin: JSON, multipart and garbage alike reach the
      // simulator untouched (it answers 47001 for bad JSON as WeChat does).
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
        done(null, body);
      });
      const handler = async (request: FastifyRequest, reply: FastifyReply) => {
        const wildcard = (request.params as Record<string, string | undefined>)['*'] ?? '';
        const url = new URL(request.url, 'http://sandbox.invalid');
        const res = await sim.handle({
          method: request.method,
          path: `/${wildcard.split('?')[0] ?? ''}`,
          query: url.searchParams,
          contentType: request.headers['content-type'],
          body: Buffer.isBuffer(request.body) ? request.body : undefined,
          baseUrl: `${request.protocol}://${request.host}${mount}`,
        });
        switch (res.kind) {
          case 'drop':
            reply.hijack();
            request.raw.socket.destroy();
            return reply;
          case 'json':
            return reply
              .code(res.status)
              .header('content-type', 'application/json; encoding=utf-8')
              .send(JSON.stringify(res.body));
          case 'bytes':
            return reply.code(res.status).headers(res.headers).send(res.data);
        }
      };
      scope.route({ method: ['GET', 'POST'], url: '/*', handler });
    },
    { prefix: mount },
  );
}

export interface RunningWechatApiServer {
  /** Base URL to give the client as WECHAT_API_BASE, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

export async function startWechatApiServer(
  sim: WechatApiSimulator,
  options: { port?: number; host?: string } = {},
): Promise<RunningWechatApiServer> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await registerWechatApiRoutes(app, sim, '');
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    close: () => app.close(),
  };
}

import type { ApiErrorBody } from '@inbox/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { AppError } from '../../common/app-error';
import type { CallbackQuery, WechatWebhookService } from './wechat-webhook.service';

/** WeChat messages are small; anything bigger is refused before it is read. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

function sendError(reply: FastifyReply, err: AppError): FastifyReply {
  const body: ApiErrorBody = { statusCode: err.status, code: err.code, message: err.message };
  return reply.status(err.status).header('content-type', 'application/json; charset=utf-8').send(body);
}

/**
 * The callback routes live on Fastify directly, in their own plugin scope: the body is read raw as
 * a string whatever its content type (WeChat sends text/xml), capped at 256 KiB, and the hot path
 * skips Nest's pipeline. `success` is answered only after the message is committed; a database
 * failure answers 503 so WeChat retries.
 */
export function registerWechatWebhookRoutes(
  fastify: FastifyInstance,
  service: WechatWebhookService,
  logger: Logger,
): void {
  void fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );

    scope.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
      if (err instanceof AppError) return sendError(reply, err);
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return sendError(
          reply,
          new AppError('wechat/body_too_large', `The body is larger than ${WEBHOOK_BODY_LIMIT} bytes`),
        );
      }
      if (typeof err.statusCode === 'number' && err.statusCode < 500) {
        return sendError(reply, new AppError('http/bad_request', err.message));
      }
      logger.error({ err, reqId: req.id }, 'wechat callback could not be stored');
      return sendError(reply, new AppError('db/unavailable', 'The message could not be stored; WeChat will retry'));
    });

    scope.get<{ Params: { accountId: string }; Querystring: CallbackQuery }>(
      '/webhooks/wechat/:accountId',
      async (req, reply) => {
        const echo = await service.verifyUrl(req.params.accountId, req.query);
        return reply.header('content-type', 'text/plain; charset=utf-8').send(echo);
      },
    );

    scope.post<{ Params: { accountId: string }; Querystring: CallbackQuery; Body: string }>(
      '/webhooks/wechat/:accountId',
      async (req, reply) => {
        const body = typeof req.body === 'string' ? req.body : '';
        if (!body) throw new AppError('wechat/malformed_xml', 'The body is empty');
        await service.receive(req.params.accountId, req.query, body);
        return reply.header('content-type', 'text/plain; charset=utf-8').send('success');
      },
    );
  });
}

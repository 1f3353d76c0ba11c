import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { ApiErrorBody, ErrorCode } from '@inbox/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppError } from './app-error';

/** Paths owned by the server; any other GET that finds nothing gets the console's index.html. */
const SERVER_PREFIXES = ['/api', '/webhooks', '/socket.io', '/sandbox/wechat'];

function fromHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'http/bad_request';
    case 401:
      return 'auth/unauthenticated';
    case 403:
      return 'auth/forbidden';
    case 404:
      return 'http/not_found';
    case 405:
      return 'http/method_not_allowed';
    case 413:
      return 'http/payload_too_large';
    case 415:
      return 'http/unsupported_media_type';
    case 429:
      return 'auth/throttled';
    case 503:
      return 'http/unavailable';
    default:
      return status >= 500 ? 'http/internal' : 'http/bad_request';
  }
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Every error leaves the server as `{statusCode, code, message}` (see API.md). Unknown errors
 * become a 500 with no detail for the client and a log line (with the request id) for us.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception, request);

    if (body.statusCode === 404 && request.method === 'GET' && this.servesConsole(request, reply)) return;

    if (exception instanceof AppError && exception.headers) void reply.headers(exception.headers);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, reqId: request.id, url: request.url }, 'request failed');
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ApiErrorBody {
    if (exception instanceof AppError) {
      return {
        statusCode: exception.status,
        code: exception.code,
        message: exception.message,
        ...(exception.fields ? { fields: exception.fields } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = fromHttpStatus(status);
      const message =
        status === 404 ? `No route for ${request.method} ${request.url.split('?')[0] ?? ''}` : exception.message;
      return { statusCode: status, code, message };
    }
    const fe = exception as FastifyLikeError;
    if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code = fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'http/payload_too_large' : fromHttpStatus(fe.statusCode);
      return { statusCode: fe.statusCode, code, message: fe.message ?? 'Bad request' };
    }
    return { statusCode: 500, code: 'http/internal', message: 'Internal server error' };
  }

  private servesConsole(request: FastifyRequest, reply: FastifyReply): boolean {
    const path = request.url.split('?')[0] ?? '/';
    if (SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
    const withFile = reply as FastifyReply & { sendFile?: (file: string) => FastifyReply };
    if (typeof withFile.sendFile !== 'function') return false;
    void withFile.header('cache-control', 'no-cache').sendFile('index.html');
    return true;
  }
}

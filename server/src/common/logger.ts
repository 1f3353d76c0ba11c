import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/**
 * One pino logger for the whole process: Fastify logs each request with its id through it,
 * Nest logs through the adapter below. Anything that could carry a secret is redacted.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'wechat-inbox' },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.appSecret',
        '*.token',
        '*.encodingAesKey',
        '*.accessToken',
        '*.secret',
        '*.totp',
      ],
      censor: '[redacted]',
    },
  });
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

import { statusOf, type ErrorCode } from '@inbox/shared';

/** The one error type services throw; the exception filter turns it into `{statusCode, code, message}`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string[]>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusOf(code);
  }
}

import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from './app-error';

function collect(errors: ValidationError[], prefix = '', out: Record<string, string[]> = {}): Record<string, string[]> {
  for (const e of errors) {
    const key = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out[key] = Object.values(e.constraints);
    if (e.children?.length) collect(e.children, key, out);
  }
  return out;
}

/** class-validator on every body and query; failures are 400 `validation/failed` with the fields. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = collect(errors);
      const names = Object.keys(fields);
      return new AppError(
        'validation/failed',
        `Invalid ${names.join(', ') || 'request'}: ${Object.values(fields).flat().join('; ')}`,
        fields,
      );
    },
  });
}

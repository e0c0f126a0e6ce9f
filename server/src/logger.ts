import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout. Tokens are never logged; `redact` catches accidents. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: ['token', '*.token', 'req.headers.authorization', 'headers.authorization'],
  });
}

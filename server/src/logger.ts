import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout (file descriptor `fd`: 2 for commands whose stdout is
 * their output). Tokens are never logged; `redact` catches accidents.
 */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      redact: ['token', '*.token', 'req.headers.authorization', 'headers.authorization'],
    },
    pino.destination(fd),
  );
}

import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { SECRET_PATHS, scrubSecrets } from './logging/secrets.js';

export type { Logger };

/**
 * Structured JSON logs, on stdout unless `destination` is given (a stream, or file
 * descriptor 2 for commands whose stdout is their output). Secrets never reach them:
 * fields named like one are redacted, and every line is scrubbed of credentials written
 * inside text (see logging/secrets.ts).
 */
export function createLogger(level: string, destination: DestinationStream | 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: scrubSecrets },
    },
    typeof destination === 'number' ? pino.destination(destination) : destination,
  );
}

import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { SECRET_PATHS, scrubSecrets } from './logging/secrets.js';

export type { Logger };

/**
 * Structured JSON logs, on stdout unless `destination` is given. Secrets never reach
 * them: fields named like one are redacted, and every line is scrubbed of credentials
 * written inside text (see logging/secrets.ts).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    hooks: { streamWrite: scrubSecrets },
  };
  return destination ? pino(options, destination) : pino(options);
}

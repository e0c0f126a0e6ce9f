import { createLogger } from '../logger.js';
import type { Logger } from '../logger.js';

export interface CapturedLogs {
  /** A logger made as the server makes its own, writing here instead of stdout. */
  logger: Logger;
  /** Every line written, as written. */
  readonly lines: string[];
  /** Every line, parsed. */
  records(): Record<string, unknown>[];
}

/** Captures a server's log lines in memory, at `level` (`trace` keeps every line). */
export function captureLogs(level = 'trace'): CapturedLogs {
  const lines: string[] = [];
  const logger = createLogger(level, {
    write: (line: string) => {
      lines.push(line);
    },
  });
  return {
    logger,
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

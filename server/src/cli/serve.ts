import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { startServer } from '../server.js';
import type { BinderCellServer } from '../server.js';
import type { Config } from '../config.js';
import { createLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import {
  CONFIG_USAGE,
  LISTEN_OPTIONS,
  LISTEN_USAGE,
  configFrom,
  parseCommandLine,
} from './options.js';

export const SERVE_USAGE = `Usage: binder-cell-server [serve] [options]

Serves the binder-cell launch API (and the SDK at /sdk/).

${CONFIG_USAGE}
${LISTEN_USAGE}
      --examples <dir>    serve this folder at /examples/
      --docs <dir>        serve this folder (the built docs-site) at /docs/`;

/** Options of `serve` besides the ones every command takes. */
export const SERVE_OPTIONS = {
  ...LISTEN_OPTIONS,
  examples: { type: 'string' },
  docs: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export async function serve(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, SERVE_OPTIONS);
  if (values.help) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  const config = await configFrom(values);
  const { server, logger } = await startWithSdk(config);
  console.error(`binder-cell server on ${server.url.href}`);
  await untilStopped(logger);
  await server.close();
  return 0;
}

/** Starts the server, serving the built SDK when there is one; it logs to `logFd`. */
export async function startWithSdk(
  config: Config,
  logFd: 1 | 2 = 1,
): Promise<{ server: BinderCellServer; logger: Logger }> {
  const logger = createLogger(config.logLevel, logFd);
  const sdkDir = findSdk();
  if (!sdkDir) logger.warn('the SDK is not built (npm run build); /sdk/ is not served');
  return { server: await startServer({ config, logger, sdkDir }), logger };
}

/** Resolves with the signal on SIGINT or SIGTERM; a second signal exits at once. */
export function untilStopped(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping');
      process.once(signal, () => process.exit(130));
      done(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function findSdk(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('binder-cell/package.json');
    const dist = join(dirname(manifest), 'dist');
    return existsSync(join(dist, 'binder-cell.js')) ? dist : undefined;
  } catch {
    return undefined;
  }
}

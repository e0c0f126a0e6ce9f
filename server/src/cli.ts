import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { VERSION } from './version.js';

const USAGE = `Usage: binder-cell-server [serve] [options]

Serves the binder-cell launch API (and the SDK at /sdk/).

Options:
  -c, --config <file>     JSON configuration file
  -p, --port <n>          port to listen on (default 8080, or $PORT)
      --host <addr>       interface to listen on (default 127.0.0.1)
      --public-url <url>  base URL clients use to reach this server
      --data-dir <dir>    where checkouts, environments and sessions live
      --examples <dir>    serve this folder at /examples/
      --backend <name>    build and session backend (local)
      --allow-file-urls   accept git/file%3A%2F%2F... specs
      --log-level <lvl>   fatal|error|warn|info|debug|trace|silent
  -h, --help              show this help
  -v, --version           print the version`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'public-url': { type: 'string' },
        'data-dir': { type: 'string' },
        examples: { type: 'string' },
        backend: { type: 'string' },
        'allow-file-urls': { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = positionals[0] ?? 'serve';
  if (command !== 'serve' || positionals.length > 1) {
    console.error(`unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
    return 2;
  }

  const port = values.port ?? process.env.PORT;
  const overrides: Record<string, unknown> = {
    ...(port !== undefined && { port: Number(port) }),
    ...(values.host !== undefined && { host: values.host }),
    ...(values['public-url'] !== undefined && { publicUrl: values['public-url'] }),
    ...(values['data-dir'] !== undefined && { dataDir: resolve(values['data-dir']) }),
    ...(values.examples !== undefined && { examplesDir: resolve(values.examples) }),
    ...(values.backend !== undefined && { backend: values.backend }),
    ...(values['log-level'] !== undefined && { logLevel: values['log-level'] }),
  };
  let config;
  try {
    config = await loadConfig(values.config, overrides);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  if (values['allow-file-urls']) config.repos.allowFileUrls = true;

  const logger = createLogger(config.logLevel);
  const sdkDir = findSdk();
  if (!sdkDir) logger.warn('the SDK is not built (npm run build); /sdk/ is not served');
  const server = await startServer({ config, logger, sdkDir });
  console.error(`binder-cell server on ${server.url.href}`);

  await new Promise<void>((done) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping');
      process.once(signal, () => process.exit(130));
      void server.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
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

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { BACKEND_NAMES } from '../backends/index.js';
import { ConfigError, loadConfig } from '../config.js';
import type { Config } from '../config.js';

/** Options every command takes: where the configuration is and what to override in it. */
export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  'data-dir': { type: 'string' },
  backend: { type: 'string' },
  'allow-file-urls': { type: 'boolean' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Options of the commands that run a server (serve, run): where it listens. */
export const LISTEN_OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'public-url': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const CONFIG_USAGE = `Options:
  -c, --config <file>     JSON configuration file
      --data-dir <dir>    where checkouts, environments and sessions live
      --backend <name>    ${BACKEND_NAMES.join(', ')} (default: local)
      --allow-file-urls   accept git/file%3A%2F%2F... specs
      --log-level <lvl>   fatal|error|warn|info|debug|trace|silent
  -h, --help              show this help`;

export const LISTEN_USAGE = `  -p, --port <n>          port to listen on (default 8080, or $PORT)
      --host <addr>       interface to listen on (default 127.0.0.1)
      --public-url <url>  base URL clients use to reach this server`;

/** Configuration keys that have a command-line option, as messages name them. */
const CONFIG_FLAGS: Readonly<Record<string, string>> = {
  'repos.allowFileUrls': '--allow-file-urls',
};

/**
 * A server message as the command line shows it: a configuration key it names in
 * parentheses, e.g. `(repos.allowFileUrls)`, gets the option that sets it.
 */
export function withCommandLineOptions(message: string): string {
  return Object.entries(CONFIG_FLAGS).reduce(
    (text, [key, flag]) => text.replaceAll(`(${key})`, `(${key}, or ${flag} here)`),
    message,
  );
}

/** Thrown for a wrong command line; the message is shown with the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses the common options plus a command's own (`extra`, string or boolean options). */
export function parseCommandLine(args: string[], extra: ParseArgsConfig['options']): CommandLine {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...CONFIG_OPTIONS, ...extra },
    });
    return { values, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The one folder or spec a command works on. */
export function singleTarget(positionals: string[]): string {
  const [target] = positionals;
  if (!target || positionals.length > 1) throw new UsageError('give one folder or spec');
  return target;
}

/** A string option's value, if it was given. */
export function stringOption(values: CommandLine['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** The configuration file with the command line's overrides applied. */
export async function configFrom(values: CommandLine['values']): Promise<Config> {
  const text = (name: string) => stringOption(values, name);
  const port = text('port') ?? process.env.PORT;
  const overrides: Record<string, unknown> = {
    ...(port !== undefined && { port: Number(port) }),
    ...(text('host') !== undefined && { host: text('host') }),
    ...(text('public-url') !== undefined && { publicUrl: text('public-url') }),
    ...(text('data-dir') !== undefined && { dataDir: resolve(text('data-dir') ?? '') }),
    ...(text('examples') !== undefined && { examplesDir: resolve(text('examples') ?? '') }),
    ...(text('docs') !== undefined && { docsDir: resolve(text('docs') ?? '') }),
    ...(text('backend') !== undefined && { backend: text('backend') }),
    ...(text('log-level') !== undefined && { logLevel: text('log-level') }),
  };
  const config = await loadConfig(text('config'), overrides);
  if (values['allow-file-urls'] === true) config.repos.allowFileUrls = true;
  return config;
}

export { ConfigError };

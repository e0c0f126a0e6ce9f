import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ConfigInput } from '../config.js';
import { tempFolder } from './temp-folder.js';

const BIN = fileURLToPath(new URL('../../bin/binder-cell-server.js', import.meta.url));

/** A `binder-cell-server serve` process, for tests that stop it the hard way. */
export interface ServerProcess {
  url: URL;
  child: ChildProcess;
  /** Settles with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Sends `signal` and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs the built CLI with `config` (written to a file) on `port` (0: a free one), and
 * resolves once it listens. Throws when the server is not built or exits first.
 */
export async function startServerProcess(config: ConfigInput, port = 0): Promise<ServerProcess> {
  const file = join(await tempFolder({}, 'binder-cell-config-'), 'config.json');
  await writeFile(file, JSON.stringify({ logLevel: 'warn', ...config }));
  return spawnServerCli(['serve', '--config', file, '--port', String(port)]);
}

/**
 * Runs the built `binder-cell-server` CLI with `args` (in `cwd`) and resolves once it says
 * where it listens. Throws when the server is not built, or with its output when it exits first.
 */
export async function spawnServerCli(args: string[], cwd?: string): Promise<ServerProcess> {
  if (!existsSync(fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url)))) {
    throw new Error('the server is not built: run npm run build first');
  }
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const output: string[] = [];
  const url = await new Promise<URL>((resolve, reject) => {
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      output.push(line);
      const match = /binder-cell server on (\S+)/.exec(line);
      if (match?.[1]) resolve(new URL(match[1]));
    });
    void exited.then((code) => reject(new Error(`server exited (${code}): ${output.join('\n')}`)));
  });
  return {
    url,
    child,
    exited,
    kill: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

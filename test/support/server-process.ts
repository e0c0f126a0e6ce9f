import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TEST_DATA_DIR = `${REPO_ROOT}.cache/test-data`;

export interface ServerProcess {
  url: URL;
  child: ChildProcess;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Runs the real `binder-cell-server` CLI on a free port, as the README's quickstart does. */
export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [`${REPO_ROOT}server/bin/binder-cell-server.js`, '--port', '0', '--log-level', 'warn', ...args],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<URL>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
    const output: string[] = [];
    lines.on('line', (line) => {
      output.push(line);
      const match = /binder-cell server on (\S+)/.exec(line);
      if (match?.[1]) resolve(new URL(match[1]));
    });
    void exited.then((code) => reject(new Error(`server exited (${code}): ${output.join('\n')}`)));
  });
  return {
    url,
    child,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

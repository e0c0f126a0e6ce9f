import { fileURLToPath } from 'node:url';
import { spawnServerCli } from '../../server/src/test-support/server-process.js';
import type { ServerProcess as CliProcess } from '../../server/src/test-support/server-process.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TEST_DATA_DIR = `${REPO_ROOT}.cache/test-data`;

export interface ServerProcess extends CliProcess {
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Runs the real `binder-cell-server` CLI on a free port, as the README's quickstart does. */
export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const server = await spawnServerCli(['--port', '0', '--log-level', 'warn', ...args], REPO_ROOT);
  return { ...server, stop: () => server.kill('SIGTERM') };
}

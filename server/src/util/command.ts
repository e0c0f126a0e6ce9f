import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { LineTail } from './line-tail.js';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Called with each line the command writes to stdout or stderr. */
  onLine?: (line: string) => void;
  /** Data written to the command's stdin. */
  input?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** A command that exited non-zero, was killed, or could not start. */
export class CommandError extends Error {
  override name = 'CommandError';

  constructor(
    message: string,
    readonly exitCode: number | null,
    /** The last lines the command printed, for error messages. */
    readonly tail: string[],
  ) {
    super(message);
  }
}

const TAIL_LINES = 25;

/**
 * Runs a command in its own process group, streaming its output line by line.
 * Aborting the signal kills the whole group, so tools that fork (pip, git) leave nothing behind.
 */
export function runCommand(command: string, args: string[], options: RunOptions = {}) {
  return new Promise<RunResult>((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      reject(new CommandError(`${command} was not started: ${abortReason(signal)}`, null, []));
      return;
    }
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const tail = new LineTail(TAIL_LINES);
    const collected = { stdout: '', stderr: '' };
    const collect = (stream: Readable | null, key: 'stdout' | 'stderr') => {
      if (!stream) return;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        collected[key] += `${line}\n`;
        tail.push(line);
        options.onLine?.(line);
      });
    };
    collect(child.stdout, 'stdout');
    collect(child.stderr, 'stderr');

    const kill = () => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is already gone
        }
      }
    };
    signal?.addEventListener('abort', kill, { once: true });

    child.on('error', (error) => {
      signal?.removeEventListener('abort', kill);
      reject(new CommandError(`could not run ${command}: ${error.message}`, null, tail.lines()));
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', kill);
      if (signal?.aborted) {
        reject(new CommandError(`${command} stopped: ${abortReason(signal)}`, code, tail.lines()));
      } else if (code === 0) {
        resolve(collected);
      } else {
        reject(new CommandError(`${command} exited with code ${code}`, code, tail.lines()));
      }
    });
  });
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) {
    return reason.name === 'TimeoutError' ? 'timed out' : reason.message;
  }
  return 'aborted';
}

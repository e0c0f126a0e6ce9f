import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { LineTail } from '../../util/line-tail.js';
import { JUPYTER_GLUE } from '../shared/glue.js';
import { internalToken, jupyterServerCommand } from '../shared/jupyter-command.js';
import { untilAnswering } from '../shared/kernel-server-client.js';
import { startWithDeadline } from '../shared/start-deadline.js';
import type { KernelServer, SpawnRequest } from '../types.js';

export interface LocalProcessOptions {
  /** Where each session's folder (`<id>/work`, its runtime and config) is made. */
  sessionsDir: string;
  /** Shared cache folder for tools such as matplotlib, so sessions do not rebuild font caches. */
  cacheDir: string;
  /** config `sessions.startTimeoutSeconds`, in ms. */
  startTimeoutMs: number;
  logger: Logger;
}

/** Environment variables a session inherits from the launch API; the rest (secrets) stay behind. */
const INHERITED_ENV =
  /^(PATH|HOME|USER|LANG|LANGUAGE|LC_\w+|TZ|TMPDIR|PIP_\w+|SSL_CERT_\w+|REQUESTS_CA_BUNDLE|(https?|no)_proxy|(HTTPS?|NO)_PROXY)$/;

const STOP_GRACE_MS = 5000;

/**
 * Runs each session as a jupyter_server process of the environment's venv on 127.0.0.1.
 * Processes end with the server that started them (see the session glue's watchdog).
 */
export class LocalProcessSpawner {
  constructor(private readonly options: LocalProcessOptions) {}

  async spawn({ session, image, repoDir, signal }: SpawnRequest): Promise<KernelServer> {
    const sessionId = session.id;
    const root = join(this.options.sessionsDir, sessionId);
    const work = join(root, 'work');
    await mkdir(join(root, 'runtime'), { recursive: true });
    if (repoDir) {
      await cp(repoDir, work, { recursive: true, filter: (path) => basename(path) !== '.git' });
    } else {
      await mkdir(work, { recursive: true });
    }

    const token = internalToken();
    const [python, ...args] = jupyterServerCommand(join(image.id, 'bin', 'python'), JUPYTER_GLUE, {
      ip: '127.0.0.1',
      port: 0,
      rootDir: work,
      allowRoot: process.getuid?.() === 0,
    });
    const child = spawn(python, args, {
      cwd: work,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: this.sessionEnv(image.id, root, token),
    });
    const tail = new LineTail(30);
    const log = this.options.logger.child({ sessionId });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        tail.push(line);
        log.debug({ jupyter: line });
      });
    }
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const server = new LocalKernelServer(child, token, exited, root);

    return startWithDeadline({
      what: 'the kernel server',
      timeoutMs: this.options.startTimeoutMs,
      signal,
      untilReady: async (deadline) => {
        const port = await waitForPort(join(root, 'runtime'), child, exited, deadline);
        server.url = `http://127.0.0.1:${port}/`;
        await untilAnswering(server, exited, deadline);
        return server;
      },
      stopAfterFailure: async () => {
        await server.stop();
        return tail.lines();
      },
    });
  }

  private sessionEnv(venv: string, root: string, token: string): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => INHERITED_ENV.test(key)),
    );
    return {
      ...inherited,
      PATH: `${join(venv, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      VIRTUAL_ENV: venv,
      JUPYTER_TOKEN: token,
      JUPYTER_CONFIG_DIR: join(root, 'config'),
      JUPYTER_DATA_DIR: join(root, 'data'),
      JUPYTER_RUNTIME_DIR: join(root, 'runtime'),
      JUPYTER_PLATFORM_DIRS: '1',
      IPYTHONDIR: join(root, 'ipython'),
      MPLCONFIGDIR: join(this.options.cacheDir, 'matplotlib'),
      PYTHONUNBUFFERED: '1',
      BINDER_CELL_PARENT_PID: String(process.pid),
    };
  }
}

class LocalKernelServer implements KernelServer {
  url = '';
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly child: ChildProcess,
    readonly token: string,
    readonly exited: Promise<void>,
    private readonly root: string,
  ) {}

  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    // SIGTERM lets jupyter_server shut its kernels down; SIGKILL follows if it dawdles.
    this.signal('SIGTERM');
    const grace = sleep(STOP_GRACE_MS, false, { ref: false });
    const stopped = await Promise.race([this.exited.then(() => true), grace]);
    if (!stopped) {
      this.signal('SIGKILL');
      await this.exited;
    }
    await rm(this.root, { recursive: true, force: true });
  }

  private signal(name: NodeJS.Signals): void {
    if (this.child.pid === undefined || this.child.exitCode !== null) return;
    try {
      process.kill(-this.child.pid, name);
    } catch {
      // already gone
    }
  }
}

async function waitForPort(
  runtimeDir: string,
  child: ChildProcess,
  exited: Promise<void>,
  signal: AbortSignal,
): Promise<number> {
  const infoFile = join(runtimeDir, `jpserver-${child.pid}.json`);
  const early = exited.then(() => {
    throw new Error(`exited with code ${child.exitCode ?? 'none'} while starting`);
  });
  early.catch(() => undefined);
  while (!signal.aborted) {
    // The file may be missing or half-written; either way, look again shortly.
    const port = await readFile(infoFile, 'utf8')
      .then((text) => (JSON.parse(text) as { port: number }).port)
      .catch(() => undefined);
    if (port) return port;
    await Promise.race([sleep(25), early]);
  }
  throw signal.reason as Error;
}

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { LineTail } from '../util/line-tail.js';
import { jupyterServerArgs } from './jupyter-args.js';
import { SpawnError } from './types.js';
import type { AdoptedSession, KernelServer, SpawnRequest, Spawner } from './types.js';

export interface LocalProcessOptions {
  sessionsDir: string;
  /** Shared cache folder for tools such as matplotlib, so sessions do not rebuild font caches. */
  cacheDir: string;
  startTimeoutMs: number;
  logger: Logger;
}

/** Environment variables a session inherits from the launch API; the rest (secrets) stay behind. */
const INHERITED_ENV =
  /^(PATH|HOME|USER|LANG|LANGUAGE|LC_\w+|TZ|TMPDIR|PIP_\w+|SSL_CERT_\w+|REQUESTS_CA_BUNDLE|(https?|no)_proxy|(HTTPS?|NO)_PROXY)$/;

const STOP_GRACE_MS = 5000;

/** Runs each session as a jupyter_server process of the environment's venv on 127.0.0.1. */
export class LocalProcessSpawner implements Spawner {
  /** Processes end with the server that started them (see the session glue's watchdog). */
  readonly persistent = false;

  constructor(private readonly options: LocalProcessOptions) {}

  adopt(): Promise<AdoptedSession[]> {
    return Promise.resolve([]);
  }

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

    const token = randomBytes(24).toString('base64url');
    const child = spawn(
      join(image.id, 'bin', 'python'),
      [
        '-m',
        'binder_cell_jupyter',
        ...jupyterServerArgs({
          ip: '127.0.0.1',
          port: 0,
          rootDir: work,
          allowRoot: process.getuid?.() === 0,
        }),
      ],
      {
        cwd: work,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: this.sessionEnv(image.id, root, token),
      },
    );
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

    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.options.startTimeoutMs)]);
    try {
      const port = await waitForPort(join(root, 'runtime'), child, exited, deadline);
      server.url = `http://127.0.0.1:${port}/`;
      await waitForStatus(server.url, token, exited, deadline);
      return server;
    } catch (error) {
      await server.stop();
      if (signal.aborted) throw error;
      const reason = deadline.aborted
        ? `did not start within ${this.options.startTimeoutMs / 1000} s`
        : (error as Error).message;
      throw new SpawnError(`the kernel server ${reason}`, tail.lines());
    }
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

async function waitForStatus(
  url: string,
  token: string,
  exited: Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  while (!signal.aborted && !done) {
    const response = await fetch(new URL('api/status', url), {
      headers: { authorization: `token ${token}` },
      signal,
    }).catch(() => undefined);
    if (response?.ok) return;
    await sleep(25);
  }
  throw done ? new Error('exited while starting') : (signal.reason as Error);
}

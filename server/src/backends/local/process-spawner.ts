import { spawn } from 'node:child_process';
import { cp, mkdir, open, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { JUPYTER_GLUE } from '../shared/glue.js';
import { internalToken, jupyterServerCommand } from '../shared/jupyter-command.js';
import { untilAnswering } from '../shared/kernel-server-client.js';
import { startWithDeadline } from '../shared/start-deadline.js';
import type { KernelServer, ListedSession, SpawnRequest } from '../types.js';
import { SESSION_ENV, exitOf, isRunning, stopSessionProcesses } from './session-processes.js';
import { SessionStateFiles } from './session-state.js';
import type { LocalSessionState } from './session-state.js';

export interface LocalProcessOptions {
  /** Where each session's folder (`<id>/work`, its runtime, config and state) is made. */
  sessionsDir: string;
  /** Shared cache folder for tools such as matplotlib, so sessions do not rebuild font caches. */
  cacheDir: string;
  /** config `sessions.startTimeoutSeconds`, in ms. */
  startTimeoutMs: number;
  /** Recorded in every session's state file; only this instance's sessions are listed. */
  instanceId: string;
  /**
   * config `local.keepSessions`: sessions outlive the server (a later one adopts them).
   * Otherwise the session glue's watchdog stops each when the server is gone.
   */
  keepSessions: boolean;
}

/** Environment variables a session inherits from the launch API; the rest (secrets) stay behind. */
const INHERITED_ENV =
  /^(PATH|HOME|USER|LANG|LANGUAGE|LC_\w+|TZ|TMPDIR|PIP_\w+|SSL_CERT_\w+|REQUESTS_CA_BUNDLE|(https?|no)_proxy|(HTTPS?|NO)_PROXY)$/;

const STOP_GRACE_MS = 5000;
/** How long an adopted kernel server may take to answer before it counts as dead. */
const ADOPT_TIMEOUT_MS = 10_000;
/** Lines of a session's log shown when it fails to start. */
const TAIL_LINES = 30;
const LOG_FILE = 'server.log';

/**
 * Runs each session as a jupyter_server process of the environment's venv on 127.0.0.1,
 * in a process group of its own with its output in `<session folder>/server.log`, and
 * records it in the session's state file so that a later server can adopt it.
 */
export class LocalProcessSpawner {
  private readonly states: SessionStateFiles;
  /** Ends the watches of adopted processes, so a closed server lets its process exit. */
  private readonly closing = new AbortController();

  constructor(private readonly options: LocalProcessOptions) {
    this.states = new SessionStateFiles(options.sessionsDir);
  }

  async spawn({ session, image, repoDir, expiresAt, signal }: SpawnRequest): Promise<KernelServer> {
    const root = this.states.folderOf(session.id);
    const work = join(root, 'work');
    await mkdir(join(root, 'runtime'), { recursive: true });
    if (repoDir) {
      await cp(repoDir, work, { recursive: true, filter: (path) => basename(path) !== '.git' });
    } else {
      await mkdir(work, { recursive: true });
    }

    const token = internalToken();
    const log = await open(join(root, LOG_FILE), 'a', 0o600);
    const [python, ...args] = jupyterServerCommand(join(image.id, 'bin', 'python'), JUPYTER_GLUE, {
      ip: '127.0.0.1',
      port: 0,
      rootDir: work,
      allowRoot: process.getuid?.() === 0,
    });
    const child = (() => {
      try {
        return spawn(python, args, {
          cwd: work,
          detached: true,
          stdio: ['ignore', log.fd, log.fd],
          env: this.sessionEnv(image.id, root, token, session.id),
        });
      } finally {
        void log.close();
      }
    })();
    if (this.options.keepSessions) child.unref();
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const state: LocalSessionState = {
      instanceId: this.options.instanceId,
      pid: child.pid ?? 0,
      port: 0,
      token,
      session,
      image,
      expiresAt,
    };
    const server = new LocalKernelServer(state, exited, this.states);

    return startWithDeadline({
      what: 'the kernel server',
      timeoutMs: this.options.startTimeoutMs,
      signal,
      untilReady: async (deadline) => {
        if (state.pid === 0) throw new Error('could not be started');
        await this.states.write(state);
        const exitCode = () => child.exitCode;
        state.port = await waitForPort(
          join(root, 'runtime'),
          state.pid,
          exitCode,
          exited,
          deadline,
        );
        await untilAnswering(server, exited, deadline);
        await this.states.write(state);
        return server;
      },
      stopAfterFailure: async () => {
        const tail = await logTail(join(root, LOG_FILE));
        await server.stop();
        return tail;
      },
    });
  }

  /** This instance's sessions with a state file, running when their process runs and has a port. */
  async list(): Promise<ListedSession[]> {
    const states = await this.states.list(this.options.instanceId);
    return Promise.all(
      states.map(async (state) => ({
        session: state.session,
        image: state.image,
        expiresAt: state.expiresAt,
        running: state.port > 0 && (await isRunning(state.pid)),
      })),
    );
  }

  /** Reconnects to a listed session whose kernel server still answers with its token. */
  async adopt({ session }: ListedSession): Promise<KernelServer> {
    const state = await this.stateOf(session.id);
    const exited = exitOf(state.pid, this.closing.signal);
    const server = new LocalKernelServer(state, exited, this.states);
    await untilAnswering(server, exited, AbortSignal.timeout(ADOPT_TIMEOUT_MS)).catch(() => {
      throw new Error(`the kernel server of session ${session.id} does not answer`);
    });
    return server;
  }

  /** Stops what is left of a listed session's processes and removes its folder. */
  async remove({ session }: ListedSession): Promise<void> {
    const state = await this.stateOf(session.id).catch(() => undefined);
    await stopSessionProcesses(session.id, state?.pid ?? 0, STOP_GRACE_MS);
    await this.states.removeFolder(session.id);
  }

  close(): void {
    this.closing.abort();
  }

  private async stateOf(sessionId: string): Promise<LocalSessionState> {
    const state = (await this.states.list(this.options.instanceId)).find(
      (found) => found.session.id === sessionId,
    );
    if (!state) throw new Error(`session ${sessionId} has no state file`);
    return state;
  }

  private sessionEnv(
    venv: string,
    root: string,
    token: string,
    sessionId: string,
  ): NodeJS.ProcessEnv {
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
      [SESSION_ENV]: sessionId,
      ...(this.options.keepSessions ? {} : { BINDER_CELL_PARENT_PID: String(process.pid) }),
    };
  }
}

class LocalKernelServer implements KernelServer {
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly state: LocalSessionState,
    readonly exited: Promise<void>,
    private readonly states: SessionStateFiles,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.state.port}/`;
  }

  get token(): string {
    return this.state.token;
  }

  /** Stops the session's processes (kernels included) and removes its folder. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.state.pid > 0) {
        await stopSessionProcesses(this.state.session.id, this.state.pid, STOP_GRACE_MS);
      }
      await this.states.removeFolder(this.state.session.id);
    })();
    return this.stopping;
  }
}

/** The last lines of a session's log file (none when it cannot be read). */
async function logTail(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-TAIL_LINES);
}

async function waitForPort(
  runtimeDir: string,
  pid: number,
  exitCode: () => number | null,
  exited: Promise<void>,
  signal: AbortSignal,
): Promise<number> {
  const infoFile = join(runtimeDir, `jpserver-${pid}.json`);
  const early = exited.then(() => {
    throw new Error(`exited with code ${exitCode() ?? 'none'} while starting`);
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

import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { internalToken, jupyterServerCommand } from '../shared/jupyter-command.js';
import { untilAnswering } from '../shared/kernel-server-client.js';
import { serverUrl } from '../shared/server-url.js';
import { earlyExitError } from '../shared/start-diagnosis.js';
import { startWithDeadline } from '../shared/start-deadline.js';
import type { KernelServer, ListedSession, SpawnRequest } from '../types.js';
import { LABELS, listedFromLabels, sessionLabels } from './labels.js';
import { withGranted } from './limits.js';
import type { ResourceLimits } from './limits.js';

export interface DockerSpawnerOptions {
  docker: Dockerode;
  /** Labelled on every container; only containers with it are listed. */
  instanceId: string;
  /** Network sessions join; the launch API reaches them at their address on it. */
  network: string;
  /** Host folder holding the session glue, mounted into images binder-cell did not build. */
  glueDir: string;
  limitsFor(repo: string): ResourceLimits;
  /** config `sessions.startTimeoutSeconds`, in ms. */
  startTimeoutMs: number;
}

const PORT = 8888;
/** Where the session glue is in images binder-cell built. */
export const GLUE_DIR = '/opt/binder-cell';

/** How the container's first step starts the lines it means for the launch log. */
export const NOTICE = 'binder-cell: ';

/**
 * Runs first in every session container, then execs the session's command (`"$@"`). When
 * HOME is not writable by the session's user — an image that never set HOME for it, like a
 * Dockerfile run as uid 1000 with HOME=/ — HOME moves to a new folder in /tmp, so Jupyter
 * and start can write their files there.
 */
const WRITABLE_HOME = [
  'if [ ! -w "${HOME:-/}" ]; then',
  `  echo "${NOTICE}HOME (\${HOME:-/}) is not writable by this user; using $1 instead" >&2`,
  '  export HOME="$1" && mkdir -p -m 700 "$HOME" || exit 1',
  'fi',
  'shift',
  'exec "$@"',
].join('\n');
const FALLBACK_HOME = '/tmp/home';

/**
 * The command of a session container (or pod): HOME made writable, then the image's start
 * script (an absolute path in the image) if it has one, then the kernel-only jupyter_server
 * on `port` with the session glue at `glue`, listening on `ip` (`0.0.0.0`: IPv4; `''`:
 * every address, IPv4 and IPv6, as pods on IPv6 or dual-stack clusters need). Lines the
 * first step prints for the reader start with NOTICE.
 */
export function sessionCommand(
  start: string | undefined,
  glue: string,
  port: number,
  ip = '0.0.0.0',
): string[] {
  return [
    '/bin/sh',
    '-c',
    WRITABLE_HOME,
    'binder-cell-session',
    FALLBACK_HOME,
    ...(start ? [start] : []),
    ...jupyterServerCommand('python3', glue, { ip, port, allowRoot: false }),
  ];
}

/**
 * One container per session, from the session image, running a kernel-only
 * jupyter_server that only the launch API can reach: no published ports, non-root,
 * no new privileges, no capabilities, and limits on memory, CPU and processes.
 */
export class DockerSpawner {
  /** Ends the requests that watch containers, so a closed server lets its process exit. */
  private readonly closing = new AbortController();

  constructor(private readonly options: DockerSpawnerOptions) {}

  async spawn({
    session,
    image,
    expiresAt,
    resources,
    signal,
    log,
  }: SpawnRequest): Promise<KernelServer> {
    const { docker } = this.options;
    const config = (await docker.getImage(image.id).inspect()).Config;
    const labels = config.Labels ?? {};
    const start = labels[LABELS.start];
    const token = internalToken();
    const limits = withGranted(this.options.limitsFor(session.repo), resources);
    const user = nonRoot(config.User);
    const container = await docker.createContainer({
      name: containerName(session.id),
      Image: image.id,
      // The image's own ENTRYPOINT, if any, still wraps all of this.
      Cmd: sessionCommand(start, `${GLUE_DIR}/binder_cell_jupyter.py`, PORT),
      Env: [`JUPYTER_TOKEN=${token}`, `PYTHONPATH=${GLUE_DIR}`, 'PYTHONUNBUFFERED=1'],
      User: user,
      Labels: sessionLabels(this.options.instanceId, session, image.name, expiresAt),
      HostConfig: {
        NetworkMode: this.options.network,
        Init: true,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Memory: limits.memoryBytes,
        NanoCpus: limits.nanoCpus,
        PidsLimit: limits.pids,
        // Images binder-cell built carry the glue; others get it mounted read-only.
        Binds: labels[LABELS.builderVersion] ? [] : [`${this.options.glueDir}:${GLUE_DIR}:ro`],
      },
    });
    await container.start().catch(async (error: unknown) => {
      await removeContainer(container).catch(() => undefined);
      throw error;
    });
    let tail: string[] | undefined;
    return startWithDeadline({
      what: 'the session container',
      timeoutMs: this.options.startTimeoutMs,
      signal,
      untilReady: async (deadline) => {
        try {
          const server = await this.connect(container, token);
          await untilAnswering(server, server.exited, deadline);
          // What the session's first step changed (a HOME it moved) is the reader's to know.
          for (const line of await this.logTail(container)) {
            if (line.startsWith(NOTICE)) log(line.slice(NOTICE.length));
          }
          return server;
        } catch (error) {
          if (deadline.aborted) throw error;
          const { State } = await container.inspect();
          if (State.Running) throw error;
          tail = await this.logTail(container);
          throw earlyExitError({
            exitCode: State.ExitCode,
            tail,
            startScript: start,
            outOfMemory: State.OOMKilled,
            user,
            home: envValue(config.Env, 'HOME'),
          });
        }
      },
      stopAfterFailure: async () => {
        tail ??= await this.logTail(container);
        await removeContainer(container);
        return tail;
      },
    });
  }

  /** This instance's session containers, running or not. */
  async list(): Promise<ListedSession[]> {
    const found = await this.options.docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.instance}=${this.options.instanceId}`, LABELS.session] },
    });
    return found.map((summary) =>
      listedFromLabels(
        summary.Labels,
        { id: summary.ImageID, name: summary.Labels[LABELS.image] ?? summary.Image },
        summary.State === 'running',
      ),
    );
  }

  /** Reconnects to a running session container with the token it was started with. */
  async adopt({ session }: ListedSession): Promise<KernelServer> {
    const container = this.options.docker.getContainer(containerName(session.id));
    const token = envValue((await container.inspect()).Config.Env, 'JUPYTER_TOKEN');
    if (!token) throw new Error(`the container of session ${session.id} has no token`);
    return this.connect(container, token);
  }

  async remove({ session }: ListedSession): Promise<void> {
    await removeContainer(this.options.docker.getContainer(containerName(session.id)));
  }

  close(): void {
    this.closing.abort();
  }

  /**
   * Finds a started container's address on the network and watches it exit. Throws when
   * it has none: it exited already, or it is not on the network.
   */
  private async connect(container: Dockerode.Container, token: string): Promise<KernelServer> {
    const { State, NetworkSettings } = await container.inspect();
    const address = NetworkSettings.Networks[this.options.network]?.IPAddress;
    if (!address) {
      throw new Error(
        State.Running
          ? `has no address on the "${this.options.network}" network`
          : 'exited while starting',
      );
    }
    const exited = container.wait({ abortSignal: this.closing.signal }).then(
      () => undefined,
      () => undefined,
    );
    return new DockerKernelServer(container, token, serverUrl(address, PORT), exited);
  }

  /** The container's last lines of output (Docker multiplexes stdout and stderr without a TTY). */
  private async logTail(container: Dockerode.Container): Promise<string[]> {
    try {
      const output = await container.logs({ stdout: true, stderr: true, tail: 30 });
      const source = Readable.from([output]);
      const text = new PassThrough();
      const chunks: Buffer[] = [];
      text.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.options.docker.modem.demuxStream(source, text, text);
      await finished(source);
      return Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
    } catch {
      return [];
    }
  }
}

class DockerKernelServer implements KernelServer {
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly container: Dockerode.Container,
    readonly token: string,
    readonly url: string,
    readonly exited: Promise<void>,
  ) {}

  stop(): Promise<void> {
    this.stopping ??= removeContainer(this.container)
      .catch(() => undefined)
      .then(() => this.exited);
    return this.stopping;
  }
}

/** Removes a container, running or not, with its anonymous volumes. */
function removeContainer(container: Dockerode.Container): Promise<void> {
  return container.remove({ force: true, v: true }).then(() => undefined);
}

/** Containers are named after their session, so a listed session finds its container. */
function containerName(sessionId: string): string {
  return `binder-cell-${sessionId}`;
}

/** The value of `name` in a Docker `NAME=value` environment list. */
function envValue(env: readonly string[] | null | undefined, name: string): string | undefined {
  return env?.find((entry) => entry.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** The image's user, unless that is root: sessions never run as root. */
function nonRoot(user: string | undefined): string {
  return !user || /^(root|0)(:.*)?$/.test(user) ? '1000:1000' : user;
}

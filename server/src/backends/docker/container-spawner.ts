import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { internalToken, jupyterServerArgs } from '../shared/jupyter-command.js';
import { untilAnswering } from '../shared/kernel-server-client.js';
import { startWithDeadline } from '../shared/start-deadline.js';
import type { KernelServer, ListedSession, SpawnRequest } from '../types.js';
import { LABELS, listedFromLabels, sessionLabels } from './labels.js';
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
const HOME = '/home/jovyan';
const GLUE_DIR = '/opt/binder-cell';

/**
 * One container per session, from the session image, running a kernel-only
 * jupyter_server that only the launch API can reach: no published ports, non-root,
 * no new privileges, no capabilities, and limits on memory, CPU and processes.
 */
export class DockerSpawner {
  /** Ends the requests that watch containers, so a closed server lets its process exit. */
  private readonly closing = new AbortController();

  constructor(private readonly options: DockerSpawnerOptions) {}

  async spawn({ session, image, expiresAt, signal }: SpawnRequest): Promise<KernelServer> {
    const { docker } = this.options;
    const config = (await docker.getImage(image.id).inspect()).Config;
    const labels = config.Labels ?? {};
    const start = labels[LABELS.start];
    const token = internalToken();
    const limits = this.options.limitsFor(session.repo);
    const container = await docker.createContainer({
      name: containerName(session.id),
      Image: image.id,
      Cmd: [
        ...(start ? [`${HOME}/${start}`] : []),
        'python3',
        '-m',
        'binder_cell_jupyter',
        ...jupyterServerArgs({ ip: '0.0.0.0', port: PORT, allowRoot: false }),
      ],
      Env: [`JUPYTER_TOKEN=${token}`, `PYTHONPATH=${GLUE_DIR}`, 'PYTHONUNBUFFERED=1'],
      User: nonRoot(config.User),
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
    return startWithDeadline({
      what: 'the session container',
      timeoutMs: this.options.startTimeoutMs,
      signal,
      untilReady: async (deadline) => {
        const server = await this.connect(container, token);
        await untilAnswering(server, server.exited, deadline);
        return server;
      },
      stopAfterFailure: async () => {
        const tail = await this.logTail(container);
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
    const env = (await container.inspect()).Config.Env ?? [];
    const token = env
      .find((entry) => entry.startsWith('JUPYTER_TOKEN='))
      ?.slice('JUPYTER_TOKEN='.length);
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
   * it has none: it exited already (with its exit code), or it is not on the network.
   */
  private async connect(container: Dockerode.Container, token: string): Promise<KernelServer> {
    const { State, NetworkSettings } = await container.inspect();
    const address = NetworkSettings.Networks[this.options.network]?.IPAddress;
    if (!address) {
      throw new Error(
        State.Running
          ? `has no address on the "${this.options.network}" network`
          : `exited with code ${State.ExitCode} while starting`,
      );
    }
    const exited = container.wait({ abortSignal: this.closing.signal }).then(
      () => undefined,
      () => undefined,
    );
    return new DockerKernelServer(container, token, `http://${address}:${PORT}/`, exited);
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

/** The image's user, unless that is root: sessions never run as root. */
function nonRoot(user: string | undefined): string {
  return !user || /^(root|0)(:.*)?$/.test(user) ? '1000:1000' : user;
}

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import type { Logger } from 'pino';
import { LABELS } from '../docker/labels.js';
import { jupyterServerArgs } from './jupyter-args.js';
import { SpawnError } from './types.js';
import type {
  AdoptedSession,
  KernelServer,
  SessionDescription,
  SpawnRequest,
  Spawner,
} from './types.js';

export interface ResourceLimits {
  memoryBytes: number;
  nanoCpus: number;
  pids: number;
}

export interface DockerSpawnerOptions {
  docker: Dockerode;
  /** Network sessions join; the launch API reaches them at their address on it. */
  network: string;
  /** Host folder holding the session glue, mounted into images binder-cell did not build. */
  glueDir: string;
  limitsFor(repo: string): ResourceLimits;
  startTimeoutMs: number;
  logger: Logger;
}

const PORT = 8888;
const HOME = '/home/jovyan';
const GLUE_DIR = '/opt/binder-cell';

/**
 * One container per session, from the session image, running a kernel-only
 * jupyter_server that only the launch API can reach: no published ports, non-root,
 * no new privileges, no capabilities, and limits on memory, CPU and processes.
 */
export class DockerSpawner implements Spawner {
  readonly persistent = true;

  constructor(private readonly options: DockerSpawnerOptions) {}

  async spawn({ session, image, expiresAt, signal }: SpawnRequest): Promise<KernelServer> {
    const { docker } = this.options;
    const config = (await docker.getImage(image.id).inspect()).Config;
    const labels = config.Labels ?? {};
    const start = labels[LABELS.start];
    const token = randomBytes(24).toString('base64url');
    const limits = this.options.limitsFor(session.repo);
    const container = await docker.createContainer({
      name: `binder-cell-${session.id}`,
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
      Labels: sessionLabels(session, image.name, expiresAt),
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
    const server = await this.running(container, token);
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.options.startTimeoutMs)]);
    try {
      await waitForStatus(server, deadline);
      return server;
    } catch (error) {
      const tail = await logTail(container);
      await server.stop();
      if (signal.aborted) throw error;
      const reason = deadline.aborted
        ? `did not start within ${this.options.startTimeoutMs / 1000} s`
        : (error as Error).message;
      throw new SpawnError(`the session container ${reason}`, tail);
    }
  }

  async adopt(now: number): Promise<AdoptedSession[]> {
    const { docker } = this.options;
    const found = await docker.listContainers({ all: true, filters: { label: [LABELS.session] } });
    const adopted: AdoptedSession[] = [];
    for (const summary of found) {
      const container = docker.getContainer(summary.Id);
      const labels = summary.Labels;
      if (summary.State !== 'running' || Number(labels[LABELS.expires]) <= now) {
        this.options.logger.info(
          { container: summary.Id },
          'removing an ended or expired session container',
        );
        await container.remove({ force: true }).catch(() => undefined);
        continue;
      }
      const env = (await container.inspect()).Config.Env ?? [];
      const token = env
        .find((entry) => entry.startsWith('JUPYTER_TOKEN='))
        ?.slice('JUPYTER_TOKEN='.length);
      if (!token) continue;
      adopted.push({
        session: describedBy(labels),
        image: { id: summary.ImageID, name: labels[LABELS.image] ?? summary.Image },
        server: await this.running(container, token, false),
      });
    }
    return adopted;
  }

  /** Starts the container (unless it runs already) and finds its address on the network. */
  private async running(
    container: Dockerode.Container,
    token: string,
    start = true,
  ): Promise<KernelServer> {
    if (start) await container.start();
    const info = await container.inspect();
    const address = info.NetworkSettings.Networks[this.options.network]?.IPAddress;
    const exited = container.wait().then(
      () => undefined,
      () => undefined,
    );
    const server = new DockerKernelServer(
      container,
      token,
      `http://${address ?? '0.0.0.0'}:${PORT}/`,
      exited,
    );
    if (!address) {
      await server.stop();
      throw new SpawnError(
        `the session container has no address on the "${this.options.network}" network`,
      );
    }
    return server;
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
    this.stopping ??= this.container
      .remove({ force: true, v: true })
      .catch(() => undefined)
      .then(() => this.exited);
    return this.stopping;
  }
}

/** The image's user, unless that is root: sessions never run as root. */
function nonRoot(user: string | undefined): string {
  return !user || /^(root|0)(:.*)?$/.test(user) ? '1000:1000' : user;
}

function sessionLabels(
  session: SessionDescription,
  image: string,
  expiresAt: number,
): Record<string, string> {
  return {
    [LABELS.session]: session.id,
    [LABELS.tokenHash]: session.tokenHash,
    [LABELS.kernel]: session.kernel,
    [LABELS.repo]: session.repo,
    [LABELS.ref]: session.ref,
    [LABELS.repoUrl]: session.repoUrl,
    [LABELS.refUrl]: session.refUrl,
    [LABELS.image]: image,
    [LABELS.created]: String(session.createdAt),
    [LABELS.expires]: String(expiresAt),
  };
}

function describedBy(labels: Record<string, string>): SessionDescription {
  const label = (name: string) => labels[name] ?? '';
  return {
    id: label(LABELS.session),
    tokenHash: label(LABELS.tokenHash),
    kernel: label(LABELS.kernel),
    repo: label(LABELS.repo),
    ref: label(LABELS.ref),
    repoUrl: label(LABELS.repoUrl),
    refUrl: label(LABELS.refUrl),
    createdAt: Number(label(LABELS.created)),
  };
}

async function waitForStatus(server: KernelServer, signal: AbortSignal): Promise<void> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (!signal.aborted && !exited) {
    const response = await fetch(new URL('api/status', server.url), {
      headers: { authorization: `token ${server.token}` },
      signal,
    }).catch(() => undefined);
    if (response?.ok) return;
    await sleep(25);
  }
  throw exited ? new Error('exited while starting') : (signal.reason as Error);
}

async function logTail(container: Dockerode.Container): Promise<string[]> {
  try {
    const output = await container.logs({ stdout: true, stderr: true, tail: 30 });
    // Without a TTY the log is multiplexed: 8-byte frame headers before each chunk.
    return demultiplex(output)
      .split('\n')
      .filter((line) => line.trim() !== '');
  } catch {
    return [];
  }
}

function demultiplex(buffer: Buffer): string {
  let text = '';
  for (let offset = 0; offset + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(offset + 4);
    text += buffer.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return text;
}

import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tarStream from 'tar-stream';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseConfig } from '../../../config.js';
import { readRepoFiles } from '../../../environment/repo-files.js';
import { createLogger } from '../../../logger.js';
import { TEST_DATA_DIR } from '../../../test-support/server.js';
import { tempFolder } from '../../../test-support/temp-folder.js';
import { GLUE_DIR } from '../../docker/container-spawner.js';
import { createLocalBackend } from '../../local/index.js';
import { JUPYTER_GLUE } from '../../shared/glue.js';
import { POD_ANNOTATIONS, POD_LABELS } from '../labels.js';
import { BUILD_CONTAINER, CONTEXT_CONTAINER, PUSH_CONTAINER } from '../build-manifests.js';
import { SESSION_CONTAINER } from '../manifests.js';
import type { FakeApiServer, KubeObject } from './fake-api-server.js';
import type { FakeRegistry } from './fake-registry.js';

/**
 * What a build pod's build step does once the pod has its context: print lines, then exit
 * (or never end); then what its push step does (by default it prints a line and pushes).
 */
export interface BuildBehaviour {
  lines: readonly string[];
  exitCode: number;
  /** Keeps building until the pod is deleted. */
  hang?: boolean;
  /** Ends only once this settles (after printing its lines). */
  gate?: Promise<unknown>;
  push?: { lines: readonly string[]; exitCode: number };
  /** The context step exits with this code instead (the context did not arrive whole). */
  contextExitCode?: number;
}

/** What becomes of a session pod. */
export type SessionBehaviour =
  | 'run'
  /** Runs with the pod IP `::1`, as on an IPv6 cluster (one such pod at a time). */
  | 'run-ipv6'
  | 'image-pull-back-off'
  | { unschedulable: string }
  | 'oom-killed'
  | 'evicted';

/** What the kubelet says of a pod it evicted for writing more than its ephemeral-storage limit. */
export const EVICTED_FOR_DISK = {
  phase: 'Failed',
  reason: 'Evicted',
  message: 'Pod ephemeral local storage usage exceeds the total limit of containers 4Gi. ',
};

export interface FakeKubeletOptions {
  api: FakeApiServer;
  registry: FakeRegistry;
  /** A venv with jupyter_server and ipykernel: session pods' commands run with its Python. */
  venv: string;
  /** What the build of `image` does, given the build context it received. */
  build?: (image: string, context: Buffer) => BuildBehaviour;
  session?: (pod: KubeObject) => SessionBehaviour;
}

export interface FakeKubelet {
  /** The build contexts build pods received, by pod name (tar archives). */
  readonly contexts: Map<string, Buffer>;
  /** Names of every build pod created. */
  readonly buildPods: string[];
  close(): void;
}

interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  env?: { name: string; value?: string }[];
}

/**
 * Plays the kubelet for the fake API server: build pods take their context through
 * `attach`, print their lines and push the image to the fake registry; session pods run
 * their container's command as a local process (the venv's Python for `python3`, the
 * session glue from this checkout, the pod's IP a loopback address of its own), so the
 * kernel server behind a pod is a real one.
 */
export function startFakeKubelet(options: FakeKubeletOptions): FakeKubelet {
  const { api } = options;
  const processes = new Map<string, ChildProcess>();
  const contexts = new Map<string, Buffer>();
  const buildPods: string[] = [];
  /** Build contexts by the image they built: a session pod gets its image's `repo/`. */
  const imageContexts = new Map<string, Buffer>();
  let nextAddress = 2;

  api.onCreate((pod) => {
    const component = pod.metadata.labels?.[POD_LABELS.component];
    if (component === 'build') {
      buildPods.push(pod.metadata.name);
      api.setStatus(pod.metadata.name, {
        initContainerStatuses: [
          { name: CONTEXT_CONTAINER, state: { running: {} } },
          { name: BUILD_CONTAINER, state: { waiting: { reason: 'PodInitializing' } } },
        ],
        containerStatuses: [
          { name: PUSH_CONTAINER, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      });
    } else if (component === 'session') {
      void startSession(pod);
    }
  });
  // The steps of a build pod, in order: context (init), build (init), push.
  api.onInput((name, container, input) => {
    if (container !== CONTEXT_CONTAINER) return;
    contexts.set(name, input);
    const pod = api.pod(name);
    const image = pod?.metadata.annotations?.[POD_ANNOTATIONS.buildImage] ?? '';
    imageContexts.set(image, input);
    const behaviour = options.build?.(image, input) ?? { lines: ['built'], exitCode: 0 };
    if (behaviour.contextExitCode !== undefined) {
      endPod(name, 'Failed', [CONTEXT_CONTAINER, behaviour.contextExitCode]);
      return;
    }
    api.setStatus(name, {
      initContainerStatuses: [
        { name: CONTEXT_CONTAINER, state: { terminated: { exitCode: 0 } } },
        { name: BUILD_CONTAINER, state: { running: {} } },
      ],
    });
    api.appendLog(name, BUILD_CONTAINER, `fake builder: building ${image}`);
    for (const line of behaviour.lines) api.appendLog(name, BUILD_CONTAINER, line);
    if (behaviour.hang) return;
    void Promise.resolve(behaviour.gate).then(() => {
      if (behaviour.exitCode === 0) push(name, image, behaviour);
      else endPod(name, 'Failed', [BUILD_CONTAINER, behaviour.exitCode]);
    });
  });

  function push(name: string, image: string, behaviour: BuildBehaviour): void {
    if (!api.pod(name)) return;
    const { lines, exitCode } = behaviour.push ?? { lines: [], exitCode: 0 };
    api.setStatus(name, {
      phase: 'Running',
      initContainerStatuses: [
        { name: CONTEXT_CONTAINER, state: { terminated: { exitCode: 0 } } },
        { name: BUILD_CONTAINER, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
      containerStatuses: [{ name: PUSH_CONTAINER, state: { running: {} } }],
    });
    api.appendLog(name, PUSH_CONTAINER, `fake pusher: pushing ${image}`);
    for (const line of lines) api.appendLog(name, PUSH_CONTAINER, line);
    if (exitCode === 0) options.registry.push(image);
    endPod(name, exitCode === 0 ? 'Succeeded' : 'Failed', [PUSH_CONTAINER, exitCode]);
  }

  /** Ends a build pod, its `step` container terminated with the exit code. */
  function endPod(name: string, phase: string, [step, exitCode]: [string, number]): void {
    const terminated = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        finishedAt: new Date().toISOString(),
      },
    };
    const status = api.pod(name)?.status as
      | { initContainerStatuses?: { name: string }[]; containerStatuses?: { name: string }[] }
      | undefined;
    const update = (statuses: { name: string }[] = []) =>
      statuses.map((entry) => (entry.name === step ? { name: step, state: terminated } : entry));
    api.setStatus(name, {
      phase,
      initContainerStatuses: update(status?.initContainerStatuses),
      containerStatuses: update(status?.containerStatuses),
    });
  }

  api.onDelete((pod) => processes.get(pod.metadata.name)?.kill('SIGKILL'));

  async function startSession(pod: KubeObject): Promise<void> {
    const name = pod.metadata.name;
    const container = (pod.spec?.containers as ContainerSpec[] | undefined)?.[0];
    const behaviour = options.session?.(pod) ?? 'run';
    if (behaviour === 'image-pull-back-off') {
      api.setStatus(name, {
        containerStatuses: [
          {
            name: SESSION_CONTAINER,
            image: container?.image,
            state: {
              waiting: {
                reason: 'ImagePullBackOff',
                message: `Back-off pulling image "${container?.image}"`,
              },
            },
          },
        ],
      });
      return;
    }
    if (typeof behaviour === 'object') {
      api.setStatus(name, {
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: behaviour.unschedulable,
          },
        ],
      });
      return;
    }
    if (behaviour === 'evicted') {
      api.setStatus(name, {
        ...EVICTED_FOR_DISK,
        containerStatuses: [
          {
            name: SESSION_CONTAINER,
            state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown' } },
          },
        ],
      });
      return;
    }
    if (behaviour === 'oom-killed') {
      api.setStatus(name, {
        phase: 'Failed',
        containerStatuses: [
          {
            name: SESSION_CONTAINER,
            state: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          },
        ],
      });
      return;
    }
    const address = behaviour === 'run-ipv6' ? '::1' : `127.0.0.${nextAddress++}`;
    const home = await tempFolder({});
    const context = imageContexts.get(container?.image ?? '');
    if (context) await extractRepository(context, home);
    const command = (container?.command ?? []).map((part) =>
      part === 'python3'
        ? join(options.venv, 'bin', 'python')
        : part === `${GLUE_DIR}/binder_cell_jupyter.py`
          ? JUPYTER_GLUE
          : part.startsWith('--ServerApp.ip=')
            ? `--ServerApp.ip=${address}`
            : part,
    );
    const env = Object.fromEntries(
      (container?.env ?? []).map((variable) => [variable.name, variable.value ?? '']),
    );
    // A pod runs as uid 1000 (runAsUser); this machine's tests may run as root.
    if (process.getuid?.() === 0) command.push('--ServerApp.allow_root=True');
    const [program, ...args] = command;
    if (!program) throw new Error(`the pod ${name} has no command`);
    const child = spawn(program, args, {
      cwd: home,
      env: {
        ...env,
        PYTHONPATH: dirname(JUPYTER_GLUE),
        HOME: home,
        PATH: `${join(options.venv, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        VIRTUAL_ENV: options.venv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    processes.set(name, child);
    for (const output of [child.stdout, child.stderr]) {
      createInterface({ input: output }).on('line', (line) =>
        api.appendLog(name, SESSION_CONTAINER, line),
      );
    }
    child.once('exit', (code) => {
      processes.delete(name);
      api.setStatus(name, {
        phase: code === 0 ? 'Succeeded' : 'Failed',
        containerStatuses: [
          {
            name: SESSION_CONTAINER,
            state: { terminated: { exitCode: code ?? 137, reason: 'Error' } },
          },
        ],
      });
    });
    api.setStatus(name, {
      phase: 'Running',
      podIP: address,
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: [
        { name: SESSION_CONTAINER, image: container?.image, state: { running: {} } },
      ],
    });
  }

  return {
    contexts,
    buildPods,
    close: () => {
      for (const child of processes.values()) child.kill('SIGKILL');
    },
  };
}

/**
 * A venv with jupyter_server and ipykernel, made (once, into the shared test data folder)
 * by the local backend from an empty repository: what the fake kubelet runs sessions with.
 */
export async function sessionVenv(): Promise<string> {
  const backend = createLocalBackend({
    config: parseConfig({ dataDir: TEST_DATA_DIR }),
    logger: createLogger('silent'),
    instanceId: 'k8s-fake-kubelet',
  });
  const dir = await tempFolder({});
  const plan = await backend.plan({
    files: await readRepoFiles(dir),
    repo: 'local/k8s-fake-kubelet',
    ref: 'fake',
  });
  let venv = '';
  for (const stage of plan.stages) {
    const found =
      (await stage.find()) ??
      (await stage.build({ log: () => undefined, signal: AbortSignal.timeout(600_000) }));
    venv = found.id;
  }
  backend.close();
  return venv;
}

/** Writes the `repo/` entries of a content image's build context into `dir`, as the image holds them in HOME. */
async function extractRepository(context: Buffer, dir: string): Promise<void> {
  const extract = tarStream.extract();
  const files: { path: string; data: Buffer }[] = [];
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      if (header.type === 'file' && header.name.startsWith('repo/')) {
        files.push({ path: header.name.slice('repo/'.length), data: Buffer.concat(chunks) });
      }
      next();
    });
  });
  await pipeline(Readable.from([context]), extract);
  for (const { path, data } of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), data);
  }
}

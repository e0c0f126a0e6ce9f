import type { BackendError } from '../backends/shared/backend-error.js';
import type {
  Backend,
  BackendHealth,
  BuildSource,
  BuiltImage,
  KernelServer,
  ListedSession,
  SpawnRequest,
} from '../backends/types.js';
import { forbidden, notFound } from '../errors.js';
import { abortable } from '../util/abortable.js';
import { sha256 } from '../util/files.js';
import { startFakeJupyter } from './fake-jupyter.js';
import type { FakeJupyter } from './fake-jupyter.js';

export interface FakeBackendOptions {
  /** Sessions outlive the server (as containers do). */
  persistent?: boolean;
  /** Kernels every session offers. */
  kernels?: string[];
  /** Lines every build logs. */
  buildLog?: string[];
  /** Every build fails with it. */
  buildError?: BackendError;
  /** Every spawn fails with it. */
  spawnError?: BackendError;
  /** Builds wait for it before they finish (or for their signal to abort). */
  buildGate?: Promise<void>;
  /** Images launches may use (undefined: allowed but not there, 404); others are refused (403). */
  images?: Record<string, BuiltImage | undefined>;
  /** What `listSessions` finds on the engine. */
  listed?: ListedSession[];
}

/** A spawned or adopted session: its fake kernel server and how it was asked for. */
export interface FakeSession {
  jupyter: FakeJupyter;
  server: KernelServer;
  request: SpawnRequest | undefined;
}

export interface FakeBackend extends Backend {
  /** Stage keys built, in order. */
  readonly built: string[];
  readonly sessions: FakeSession[];
  /** Ids of sessions `remove` was asked to remove. */
  readonly removed: string[];
  /** What `health` reports. */
  healthy: BackendHealth;
}

/**
 * A backend for in-process tests of the pipeline and the routes: builds are keyed by the
 * environment files (so a new commit with the same files reuses the image), and sessions
 * are fake kernel servers on loopback that answer the kernel API's basics.
 */
export function fakeBackend(options: FakeBackendOptions = {}): FakeBackend {
  const images = new Map<string, BuiltImage>();
  const start = async (request: SpawnRequest | undefined): Promise<KernelServer> => {
    const jupyter = await startFakeJupyter(`internal-${fake.sessions.length}`, options.kernels);
    const server: KernelServer = {
      url: jupyter.url,
      token: jupyter.token,
      exited: jupyter.closed,
      stop: () => jupyter.close(),
    };
    fake.sessions.push({ jupyter, server, request });
    return server;
  };
  const fake: FakeBackend = {
    name: 'fake',
    builderVersion: '1',
    persistent: options.persistent ?? false,
    built: [],
    sessions: [],
    removed: [],
    healthy: { ok: true },
    plan: (source: BuildSource) => {
      const key = sha256(JSON.stringify([...source.files.files])).slice(0, 12);
      return Promise.resolve({
        report: ['Reproducibility report', `  fake environment ${key}`],
        stages: [
          {
            key,
            kind: 'environment',
            noun: 'environment image',
            find: () => Promise.resolve(images.get(key)),
            build: async ({ log, signal }) => {
              options.buildLog?.forEach(log);
              if (options.buildGate) await abortable(options.buildGate, signal);
              if (options.buildError) throw options.buildError;
              const image = { id: key, name: `fake-env:${key}` };
              images.set(key, image);
              fake.built.push(key);
              return image;
            },
          },
        ],
      });
    },
    findImage: (name) => {
      const image = options.images?.[name];
      if (!options.images || !(name in options.images)) {
        return Promise.reject(forbidden(`the image ${name} is not allowed`));
      }
      return image ? Promise.resolve(image) : Promise.reject(notFound(`no image ${name}`));
    },
    spawn: (request) => (options.spawnError ? Promise.reject(options.spawnError) : start(request)),
    listSessions: () => Promise.resolve(options.listed ?? []),
    adopt: () => start(undefined),
    remove: (listed) => {
      fake.removed.push(listed.session.id);
      return Promise.resolve();
    },
    health: () => Promise.resolve(fake.healthy),
    close: () => undefined,
  };
  return fake;
}

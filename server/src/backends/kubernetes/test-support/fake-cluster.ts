import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { parseConfig } from '../../../config.js';
import type { ConfigInput } from '../../../config.js';
import { createLogger } from '../../../logger.js';
import { startServer } from '../../../server.js';
import type { BinderCellServer } from '../../../server.js';
import { tempFolder } from '../../../test-support/temp-folder.js';
import { startFakeApiServer } from './fake-api-server.js';
import type { FakeApiServer } from './fake-api-server.js';
import { sessionVenv, startFakeKubelet } from './fake-kubelet.js';
import type { FakeKubelet, FakeKubeletOptions } from './fake-kubelet.js';
import { startFakeRegistry } from './fake-registry.js';
import type { FakeRegistry } from './fake-registry.js';

/** A fake API server, registry and kubelet, and the server replicas a test starts on them. */
export interface FakeCluster {
  api: FakeApiServer;
  registry: FakeRegistry;
  kubelet: FakeKubelet;
  /** The config every replica shares (one instance id, one registry prefix). */
  config: ConfigInput;
  /** Starts a replica of the server (kubernetes backend) on a free loopback port. */
  startReplica(overrides?: ConfigInput): Promise<BinderCellServer>;
  close(): Promise<void>;
}

/**
 * Starts the fake cluster with `repos` (name -> files) as `local/<name>` repositories,
 * its base image pushed to the registry. Every replica's sessions run as real kernel
 * servers through the fake kubelet.
 */
export async function startFakeCluster(
  repos: Record<string, Record<string, string>>,
  behaviour: Pick<FakeKubeletOptions, 'build' | 'session'> = {},
): Promise<FakeCluster> {
  const [api, registry, venv] = await Promise.all([
    startFakeApiServer(),
    startFakeRegistry(),
    sessionVenv(),
  ]);
  const kubelet = startFakeKubelet({ api, registry, venv, ...behaviour });
  const prefix = `${registry.host}/binder-cell`;
  registry.push(`${prefix}/base:bookworm`);
  const local: Record<string, string> = {};
  for (const [name, files] of Object.entries(repos)) local[name] = await tempFolder(files);
  const config: ConfigInput = {
    backend: 'kubernetes',
    instanceId: `k8s-${randomBytes(4).toString('hex')}`,
    repos: { local },
    kubernetes: {
      kubeconfig: api.kubeconfig,
      namespace: 'test',
      registry: { prefix, insecure: true },
      sessions: { port: await freePort() },
    },
  };
  const replicas: BinderCellServer[] = [];
  return {
    api,
    registry,
    kubelet,
    config,
    startReplica: async (overrides = {}) => {
      const level = process.env.BINDER_CELL_TEST_LOG ?? 'silent';
      const replica = await startServer({
        config: parseConfig({
          port: 0,
          dataDir: await tempFolder({}),
          logLevel: level,
          ...config,
          ...overrides,
        }),
        logger: createLogger(level),
      });
      replicas.push(replica);
      return replica;
    },
    close: async () => {
      await Promise.all(replicas.map((replica) => replica.close()));
      kubelet.close();
      await Promise.all([api.close(), registry.close()]);
    },
  };
}

/** The ready event of a session as another replica serves it (its URLs through that replica). */
export function through(replica: BinderCellServer, ready: ReadyEvent): ReadyEvent {
  const url = new URL(`sessions/${ready.sessionId}/`, replica.url).href;
  return { ...ready, url, wsUrl: url.replace(/^http/, 'ws') };
}

/** A TCP port free on loopback now: the session port of every fake pod (each has its own address). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

import { afterAll, describe, expect, it } from 'vitest';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { parseConfig } from '../../config.js';
import type { ConfigInput } from '../../config.js';
import { createLogger } from '../../logger.js';
import { startServer } from '../../server.js';
import type { BinderCellServer } from '../../server.js';
import { execute, startKernel } from '../../test-support/kernel-client.js';
import { launchReady } from '../../test-support/launch-client.js';
import { tempFolder } from '../../test-support/temp-folder.js';
import { KubeClient, loadKubeConfig } from './client.js';
import { podName } from './session-pods.js';

/**
 * The launch flow against a real cluster: KUBECONFIG names it, BINDER_CELL_K8S_REGISTRY
 * the registry prefix build pods push to (its `base:bookworm` image pushed there first),
 * BINDER_CELL_K8S_NAMESPACE the namespace (default `default`), BINDER_CELL_K8S_BUILD_NAMESPACE
 * the build pods' own (default: the same), BINDER_CELL_K8S_PUSH_SECRET the push Secret there
 * (default: none, for a registry that takes anonymous pushes), and
 * BINDER_CELL_K8S_INSECURE_REGISTRY=1 a plain-HTTP registry. The test process must reach
 * pod IPs (run it in a pod of the cluster, or on a kind node).
 */
const kubeconfig = process.env.KUBECONFIG;
if (!kubeconfig) console.warn('skipped: no cluster (KUBECONFIG is not set)');

async function run(ready: ReadyEvent, code: string): Promise<string> {
  const { kernel, dispose } = await startKernel(ready);
  try {
    return (await execute(kernel, code)).stdout;
  } finally {
    dispose();
  }
}

describe.skipIf(!kubeconfig)('kubernetes backend on a real cluster', () => {
  const replicas: BinderCellServer[] = [];
  const namespace = process.env.BINDER_CELL_K8S_NAMESPACE ?? 'default';
  let shared: ConfigInput | undefined;

  async function replica(overrides: ConfigInput = {}): Promise<BinderCellServer> {
    const prefix = process.env.BINDER_CELL_K8S_REGISTRY;
    if (!prefix) throw new Error('set BINDER_CELL_K8S_REGISTRY to the registry prefix to push to');
    shared ??= {
      backend: 'kubernetes',
      instanceId: `bc-cluster-test-${Date.now()}`,
      repos: { local: { cluster: await tempFolder({ 'hello.py': 'WHERE = "a pod"\n' }) } },
      kubernetes: {
        kubeconfig,
        namespace,
        registry: {
          prefix,
          insecure: process.env.BINDER_CELL_K8S_INSECURE_REGISTRY === '1',
          pushSecret: process.env.BINDER_CELL_K8S_PUSH_SECRET,
        },
        builder: { namespace: process.env.BINDER_CELL_K8S_BUILD_NAMESPACE },
      },
    };
    const server = await startServer({
      config: parseConfig({
        port: 0,
        dataDir: await tempFolder({}),
        logLevel: 'warn',
        ...shared,
        ...overrides,
      }),
      logger: createLogger('warn'),
    });
    replicas.push(server);
    return server;
  }

  afterAll(async () => {
    for (const server of replicas) {
      await server.registry.endAll('test over');
      await server.close();
    }
  });

  it('builds, launches, executes, re-adopts after a restart and culls an idle session', async () => {
    const first = await replica();
    const ready = await launchReady(first.url, { repo: 'local/cluster' });
    expect(await run(ready, 'import hello; print(hello.WHERE)')).toBe('a pod\n');

    await first.close();
    const restarted = await replica();
    expect(restarted.registry.get(ready.sessionId)).toBeDefined();
    const again = { ...ready, url: new URL(`sessions/${ready.sessionId}/`, restarted.url).href };
    expect(await run({ ...again, wsUrl: again.url.replace(/^http/, 'ws') }, 'print(1 + 1)')).toBe(
      '2\n',
    );

    const culling = await replica({ sessions: { idleTimeoutSeconds: 2, cullIntervalSeconds: 1 } });
    const idle = await launchReady(culling.url, { repo: 'local/cluster' });
    const client = new KubeClient(loadKubeConfig(kubeconfig), namespace, createLogger('silent'));
    await expect
      .poll(() => client.readPod(podName(idle.sessionId)), { timeout: 60_000, interval: 1000 })
      .toBeUndefined();
  });
});

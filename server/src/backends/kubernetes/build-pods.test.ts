import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config.js';
import { readRepoFiles } from '../../environment/repo-files.js';
import { createLogger } from '../../logger.js';
import { launchReady } from '../../test-support/launch-client.js';
import { tempFolder } from '../../test-support/temp-folder.js';
import type { BuiltImage } from '../types.js';
import { buildPod } from './build-manifests.js';
import { BuildPods } from './build-pods.js';
import { KubeClient, loadKubeConfig } from './client.js';
import { kubernetesSettings } from './config.js';
import type { KubernetesSettings } from './config.js';
import { POD_LABELS } from './labels.js';
import {
  buildNetworkPolicyGate,
  buildNetworkPolicyName,
  networkPolicyName,
} from './network-policy.js';
import { ImageRegistry } from './registry.js';
import { startFakeCluster } from './test-support/fake-cluster.js';
import type { FakeCluster } from './test-support/fake-cluster.js';
import { startFakeApiServer } from './test-support/fake-api-server.js';
import type { FakeApiServer } from './test-support/fake-api-server.js';
import { startFakeKubelet } from './test-support/fake-kubelet.js';
import type { BuildBehaviour, FakeKubelet } from './test-support/fake-kubelet.js';
import { startFakeRegistry } from './test-support/fake-registry.js';
import type { FakeRegistry } from './test-support/fake-registry.js';

const settings = kubernetesSettings.parse({ builder: { keepFinishedSeconds: 600 } });

function buildPodsOn(api: FakeApiServer, instanceId: string, options: KubernetesSettings) {
  const client = new KubeClient(loadKubeConfig(api.kubeconfig), 'test', createLogger('silent'));
  const logger = createLogger('silent');
  const builds = new BuildPods({
    client,
    registry: new ImageRegistry({ insecure: true, authFile: undefined }),
    instanceId,
    settings: options,
    render: { packages: parseConfig({}).packages },
    glueFile: '/dev/null',
    logger,
    networkPolicyInPlace: buildNetworkPolicyGate(client, instanceId, options, logger),
  });
  return { client, builds };
}

describe('build pods left from earlier', () => {
  let api: FakeApiServer;
  let builds: BuildPods;
  let client: KubeClient;

  beforeAll(async () => {
    api = await startFakeApiServer();
    ({ client, builds } = buildPodsOn(api, 'stale-test', settings));
  });
  afterAll(async () => {
    builds.close();
    await api.close();
  });

  it('are deleted on start once finished longer than keepFinishedSeconds ago; running ones are left', async () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const ended = (minutesAgo: number, step: 'build' | 'push') => {
      const terminated = {
        exitCode: step === 'build' ? 1 : 0,
        finishedAt: new Date(now - minutesAgo * 60_000).toISOString(),
      };
      // A pod that failed at its build step ended there; its push step never ran.
      return step === 'build'
        ? {
            phase: 'Failed',
            initContainerStatuses: [{ name: 'build', state: { terminated } }],
            containerStatuses: [{ name: 'push', state: { waiting: {} } }],
          }
        : { phase: 'Succeeded', containerStatuses: [{ name: 'push', state: { terminated } }] };
    };
    for (const name of ['old', 'old-failed', 'recent', 'running']) {
      await client.createPod(
        buildPod({
          name,
          instanceId: 'stale-test',
          buildHash: name,
          tag: `registry.example.org/bc/env:${name}`,
          dockerfile: 'Dockerfile',
          buildargs: {},
          labels: {},
          settings,
        }),
      );
    }
    api.setStatus('old', ended(11, 'push'));
    api.setStatus('old-failed', ended(11, 'build'));
    api.setStatus('recent', ended(9, 'push'));
    api.setStatus('running', { phase: 'Running' });
    await builds.removeStale(now);
    expect(api.pods().map((pod) => pod.metadata.name)).toEqual(['recent', 'running']);
  });
});

describe('the steps of a build pod', () => {
  let api: FakeApiServer;
  let registry: FakeRegistry;
  let kubelet: FakeKubelet;
  let builds: BuildPods;
  /** What the next build does, by a word in its build context. */
  const behaviours = new Map<string, BuildBehaviour>();

  beforeAll(async () => {
    [api, registry] = await Promise.all([startFakeApiServer(), startFakeRegistry()]);
    kubelet = startFakeKubelet({
      api,
      registry,
      venv: '',
      build: (_image, context) => {
        const text = context.toString('latin1');
        for (const [word, behaviour] of behaviours) if (text.includes(word)) return behaviour;
        return { lines: ['built'], exitCode: 0 };
      },
    });
    const prefix = `${registry.host}/binder-cell`;
    registry.push(`${prefix}/base:bookworm`);
    ({ builds } = buildPodsOn(
      api,
      'steps-test',
      kubernetesSettings.parse({ registry: { prefix, insecure: true } }),
    ));
  });
  afterAll(async () => {
    builds.close();
    kubelet.close();
    await Promise.all([api.close(), registry.close()]);
  });

  /** Builds a repository's images in build pods; the launch's log lines go into `log`. */
  async function build(marker: string, log: string[]): Promise<BuiltImage> {
    const source = {
      files: await readRepoFiles(await tempFolder({ 'marker.txt': `${marker}\n` })),
      repo: `local/${marker.toLowerCase()}`,
      ref: marker.toLowerCase(),
    };
    let built: BuiltImage | undefined;
    for (const stage of (await builds.plan(source)).stages) {
      built = await stage.build({
        log: (line) => log.push(line),
        signal: AbortSignal.timeout(60_000),
      });
    }
    if (!built) throw new Error('the plan had no stages');
    return built;
  }

  it('builds only once the build NetworkPolicy is in place', async () => {
    expect(api.networkPolicy(buildNetworkPolicyName('steps-test'))).toBeUndefined();
    await build('POLICY', []);
    const policy = api.networkPolicy(buildNetworkPolicyName('steps-test'));
    expect(policy?.spec?.podSelector).toEqual({
      matchLabels: {
        'app.kubernetes.io/name': 'binder-cell',
        'app.kubernetes.io/component': 'build',
        'org.binder-cell.instance': 'steps-test',
      },
    });
    const created = api.received.map((object) => object.kind);
    expect(created.indexOf('NetworkPolicy')).toBeLessThan(created.indexOf('Pod'));
  });

  it("shows the build step's log, then the push step's, and the image is in the registry", async () => {
    behaviours.set('IN-ORDER', { lines: ['IN-ORDER built'], exitCode: 0 });
    const log: string[] = [];
    const built = await build('IN-ORDER', log);
    expect(registry.has(built.name)).toBe(true);
    const at = (line: string) => log.indexOf(line);
    const steps = [
      `fake builder: building ${built.name}`,
      'IN-ORDER built',
      `Pushing ${built.name}`,
      `fake pusher: pushing ${built.name}`,
    ];
    expect(steps.map(at).every((index) => index >= 0)).toBe(true);
    expect(steps.map(at)).toEqual(steps.map(at).sort((a, b) => a - b));
  });

  it('names the push step when the push fails, with the last lines of its log', async () => {
    behaviours.set('PUSH-FAILS', {
      lines: ['built'],
      exitCode: 0,
      push: { lines: ['UNAUTHORIZED: authentication required'], exitCode: 1 },
    });
    const log: string[] = [];
    const failed = build('PUSH-FAILS', log);
    await expect(failed).rejects.toThrow(
      /the content image failed: pushing \S+ failed: the pusher exited with code 1/,
    );
    // The registry's or the server's fault, not the repository's: a 500.
    await expect(failed).rejects.toMatchObject({
      status: 500,
      tail: expect.arrayContaining(['UNAUTHORIZED: authentication required']) as unknown,
    });
  });

  it("says when the context did not arrive whole, as the server's fault", async () => {
    behaviours.set('CONTEXT-CUT', { lines: [], exitCode: 0, contextExitCode: 1 });
    const failed = build('CONTEXT-CUT', []);
    await expect(failed).rejects.toThrow(
      /the content image failed: the build context did not arrive whole \(tar exited with code 1\)/,
    );
    await expect(failed).rejects.toMatchObject({ status: 500 });
  });

  it('names the build step when the build fails, and never starts the push', async () => {
    behaviours.set('BUILD-FAILS', { lines: ['ERROR: no such package'], exitCode: 2 });
    const log: string[] = [];
    const failed = build('BUILD-FAILS', log);
    await expect(failed).rejects.toThrow(
      /the content image failed: the build failed: the builder exited with code 2/,
    );
    await expect(failed).rejects.toMatchObject({ status: 422 });
    // The environment image before it was built and pushed; the failed content image was not.
    const failedAt = log.indexOf('ERROR: no such package');
    expect(failedAt).toBeGreaterThan(0);
    expect(log.slice(failedAt).filter((line) => line.startsWith('Pushing'))).toEqual([]);
  });
});

describe('build pods in a namespace of their own (builder.namespace)', () => {
  let cluster: FakeCluster;

  beforeAll(async () => {
    cluster = await startFakeCluster({ elsewhere: { 'a.py': 'A = 1\n' } });
  });
  afterAll(() => cluster.close());

  it("builds there, with its NetworkPolicy there, while the session and its policy stay in the sessions' namespace", async () => {
    const { kubernetes } = cluster.config;
    const replica = await cluster.startReplica({
      kubernetes: { ...kubernetes, builder: { namespace: 'builds' } },
    });
    await launchReady(replica.url, { repo: 'local/elsewhere' });
    const namespaces = (component: string) =>
      cluster.api
        .pods()
        .filter((pod) => pod.metadata.labels?.[POD_LABELS.component] === component)
        .map((pod) => pod.metadata.namespace);
    expect(cluster.kubelet.buildPods).toHaveLength(2);
    expect(namespaces('build')).toEqual(['builds', 'builds']);
    expect(namespaces('session')).toEqual(['test']);
    const instanceId = cluster.config.instanceId ?? '';
    expect(cluster.api.networkPolicy(buildNetworkPolicyName(instanceId))?.metadata.namespace).toBe(
      'builds',
    );
    expect(cluster.api.networkPolicy(networkPolicyName(instanceId))?.metadata.namespace).toBe(
      'test',
    );
  });
});

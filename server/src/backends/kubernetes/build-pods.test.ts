import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { BuildPods } from './build-pods.js';
import { KubeClient, loadKubeConfig } from './client.js';
import { kubernetesSettings } from './config.js';
import { buildPod } from './build-manifests.js';
import { ImageRegistry } from './registry.js';
import { startFakeApiServer } from './test-support/fake-api-server.js';
import type { FakeApiServer } from './test-support/fake-api-server.js';

const settings = kubernetesSettings.parse({ builder: { keepFinishedSeconds: 600 } });

describe('build pods left from earlier', () => {
  let api: FakeApiServer;
  let builds: BuildPods;
  let client: KubeClient;

  beforeAll(async () => {
    api = await startFakeApiServer();
    client = new KubeClient(loadKubeConfig(api.kubeconfig), 'test');
    builds = new BuildPods({
      client,
      registry: new ImageRegistry({ insecure: true, authFile: undefined }),
      instanceId: 'stale-test',
      settings,
      render: { packages: parseConfig({}).packages },
      glueFile: '/dev/null',
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    builds.close();
    await api.close();
  });

  it('are deleted on start once finished longer than keepFinishedSeconds ago; running ones are left', async () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const ended = (minutesAgo: number) => ({
      phase: 'Succeeded',
      containerStatuses: [
        {
          name: 'build',
          state: {
            terminated: {
              exitCode: 0,
              finishedAt: new Date(now - minutesAgo * 60_000).toISOString(),
            },
          },
        },
      ],
    });
    for (const name of ['old', 'recent', 'running']) {
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
    api.setStatus('old', ended(11));
    api.setStatus('recent', ended(9));
    api.setStatus('running', { phase: 'Running' });
    await builds.removeStale(now);
    expect(api.pods().map((pod) => pod.metadata.name)).toEqual(['recent', 'running']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, launchReady } from '../../test-support/launch-client.js';
import { POD_LABELS } from './labels.js';
import { startFakeCluster } from './test-support/fake-cluster.js';
import type { FakeCluster } from './test-support/fake-cluster.js';

describe('kubernetes backend: build pods whose context never comes', () => {
  let cluster: FakeCluster;
  const buildPods = () =>
    cluster.api.pods().filter((pod) => pod.metadata.labels?.[POD_LABELS.component] === 'build');

  beforeAll(async () => {
    cluster = await startFakeCluster({
      refused: { 'a.py': 'A = 1\n' },
    });
  });
  afterAll(() => cluster.close());

  it('deletes the pod it made when it cannot send the context, so the next launch builds', async () => {
    const replica = await cluster.startReplica();
    cluster.api.answerAttach('forbid');
    const { events } = await launch(replica.url, { repo: 'local/refused' });
    expect(events.at(-1)?.phase).toBe('failed');
    expect(buildPods()).toEqual([]);
    cluster.api.answerAttach('accept');
    await launchReady(replica.url, { repo: 'local/refused' });
  });
});

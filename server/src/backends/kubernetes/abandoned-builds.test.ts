import type { LaunchEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, launchReady } from '../../test-support/launch-client.js';
import { openLaunch } from '../../test-support/launch-stream.js';
import { POD_LABELS } from './labels.js';
import { startFakeCluster } from './test-support/fake-cluster.js';
import type { FakeCluster } from './test-support/fake-cluster.js';

/** What an event says: its message or its log line. */
function text(event: LaunchEvent): string {
  return `${event.message ?? ''}${'log' in event ? (event.log ?? '') : ''}`;
}

describe('kubernetes backend: build pods whose context never comes', () => {
  let cluster: FakeCluster;
  const buildPods = () =>
    cluster.api.pods().filter((pod) => pod.metadata.labels?.[POD_LABELS.component] === 'build');

  beforeAll(async () => {
    cluster = await startFakeCluster({
      refused: { 'a.py': 'A = 1\n' },
      orphaned: { 'b.py': 'B = 2\n' },
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

  it('rebuilds, on another replica, a build pod whose replica went away before sending its context', async () => {
    const { kubernetes } = cluster.config;
    const overrides = { kubernetes: { ...kubernetes, builder: { contextDeadlineSeconds: 1 } } };
    const gone = await cluster.startReplica(overrides);
    cluster.api.answerAttach('hold');
    const first = await openLaunch(gone.url, { repo: 'local/orphaned' });
    // The environment image may be there already (the repository above has the same
    // environment): the launch builds whichever image is missing first.
    const building = await first.until((event) => /^Building the \w+ image/.test(text(event)));
    const image = /^Building the (\w+ image \S+)/.exec(text(building.event))?.[1];
    const [orphan] = cluster.kubelet.buildPods.slice(-1);
    await gone.close();
    expect(cluster.kubelet.contexts.has(orphan ?? '')).toBe(false);
    expect(cluster.api.pod(orphan ?? '')).toBeDefined();

    cluster.api.answerAttach('accept');
    const other = await cluster.startReplica(overrides);
    const { events } = await launch(other.url, { repo: 'local/orphaned' });
    expect(events.at(-1)?.phase).toBe('ready');
    expect(events.map(text)).toContain(
      `The replica that started the build of the ${image} went away; building again`,
    );
    // The same pod name, made again, and this time given its context.
    expect(cluster.kubelet.buildPods.filter((name) => name === orphan)).toHaveLength(2);
    expect(cluster.kubelet.contexts.has(orphan ?? '')).toBe(true);
  });
});

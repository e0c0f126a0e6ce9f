import type { LaunchEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../../server.js';
import { openLaunch } from '../../test-support/launch-stream.js';
import { startFakeCluster } from './test-support/fake-cluster.js';
import type { FakeCluster } from './test-support/fake-cluster.js';

/** What an event says: its message or its log line. */
function text(event: LaunchEvent): string {
  return `${event.message ?? ''}${'log' in event ? (event.log ?? '') : ''}`;
}

describe('kubernetes backend: two releases (instance ids) in one namespace with one registry', () => {
  let releaseBuilds: () => void = () => undefined;
  const buildsReleased = new Promise<void>((resolve) => (releaseBuilds = resolve));
  let cluster: FakeCluster;
  let staging: BinderCellServer;
  let prod: BinderCellServer;

  beforeAll(async () => {
    cluster = await startFakeCluster(
      { shared: { 'a.py': 'A = 1\n' } },
      { build: () => ({ lines: [], exitCode: 0, gate: buildsReleased }) },
    );
    [staging, prod] = await Promise.all([
      cluster.startReplica({ instanceId: 'staging' }),
      cluster.startReplica({ instanceId: 'prod' }),
    ]);
  });
  afterAll(() => cluster.close());

  it("follows the other release's build pod of the same image to its end, neither rebuilding nor deleting it", async () => {
    const onStaging = await openLaunch(staging.url, { repo: 'local/shared' });
    await onStaging.until((event) => text(event).startsWith('fake builder: building'));
    const onProd = await openLaunch(prod.url, { repo: 'local/shared' });
    await onProd.until((event) => text(event).startsWith('Following the build'));
    releaseBuilds();
    const ended = (event: LaunchEvent) => event.phase === 'ready' || event.phase === 'failed';
    const [last, other] = await Promise.all([onStaging.until(ended), onProd.until(ended)]);
    expect([last.event.phase, other.event.phase]).toEqual(['ready', 'ready']);
    expect(onProd.seen.map(({ event }) => text(event))).not.toContainEqual(
      expect.stringContaining('went away'),
    );
    // One pod per image (environment and content), each made once.
    expect(cluster.kubelet.buildPods).toHaveLength(2);
    expect(new Set(cluster.kubelet.buildPods).size).toBe(2);
  });
});

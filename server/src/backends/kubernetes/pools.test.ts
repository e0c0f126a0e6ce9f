import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthInfo, ReadyEvent } from '@binder-cell/launch-protocol';
import type { BinderCellServer } from '../../server.js';
import { launchReady } from '../../test-support/launch-client.js';
import { POD_ANNOTATIONS, POD_LABELS } from './labels.js';
import { podName } from './session-pods.js';
import { startFakeCluster } from './test-support/fake-cluster.js';
import type { FakeCluster } from './test-support/fake-cluster.js';

async function sessionStatus(replica: BinderCellServer, ready: ReadyEvent): Promise<number> {
  const response = await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, replica.url), {
    headers: { authorization: `token ${ready.token}` },
  });
  return response.status;
}

describe('kubernetes backend: a warm pool two replicas share', () => {
  let cluster: FakeCluster;
  let a: BinderCellServer;
  let b: BinderCellServer;

  beforeAll(async () => {
    cluster = await startFakeCluster({ pooled: { 'notes.md': '# pooled\n' } });
  });
  afterAll(() => cluster.close());

  it('gives two readers racing on two replicas different pods, each checked by its own token everywhere', async () => {
    const pools = [{ repo: 'local/pooled', size: 1 }];
    a = await cluster.startReplica({ pools });
    await expect.poll(() => a.pools.status()[0]?.ready, { timeout: 60_000 }).toBe(1);
    // B adopts A's free pool pod into its own pool: both now hold the same pod.
    b = await cluster.startReplica({ pools });
    expect(b.pools.status()[0]?.ready).toBe(1);
    const pooled = cluster.api.pods().filter((pod) => pod.metadata.labels?.[POD_LABELS.pooled]);
    expect(pooled).toHaveLength(1);
    // Each replica's `pooled` is its own pool's; the instance's figure counts the pod once.
    for (const replica of [a, b]) {
      const health = (await (await fetch(new URL('health', replica.url))).json()) as HealthInfo;
      expect([health.pooled, health.instance]).toEqual([1, { sessions: 0, pooled: 1 }]);
    }
    const [first, second] = await Promise.all([
      launchReady(a.url, { repo: 'local/pooled' }),
      launchReady(b.url, { repo: 'local/pooled' }),
    ]);
    expect(first.sessionId).not.toBe(second.sessionId);
    const claimed = [first, second].filter(
      (ready) =>
        cluster.api.pod(podName(ready.sessionId))?.metadata.annotations?.[
          POD_ANNOTATIONS.claimed
        ] === 'true',
    );
    expect(claimed).toHaveLength(1);
    for (const ready of [first, second]) {
      for (const replica of [a, b]) expect(await sessionStatus(replica, ready)).toBe(200);
    }
  });
});

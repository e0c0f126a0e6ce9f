import type { FailedEvent, LaunchEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../../server.js';
import { launch } from '../../test-support/launch-client.js';
import { buildNetworkPolicyName } from './build-network-policy.js';
import { POD_ANNOTATIONS } from './labels.js';
import { startFakeCluster } from './test-support/fake-cluster.js';
import type { FakeCluster } from './test-support/fake-cluster.js';

const SCHEDULER = '0/3 nodes are available: 3 Insufficient memory.';

/** The launch's `failed` event; throws when it did not fail. */
async function failure(
  replica: BinderCellServer,
  repo: string,
): Promise<{ failed: FailedEvent; events: LaunchEvent[] }> {
  const { events } = await launch(replica.url, { repo });
  const failed = events.at(-1);
  if (failed?.phase !== 'failed')
    throw new Error(`the launch did not fail: ${JSON.stringify(failed)}`);
  return { failed, events };
}

describe('kubernetes backend: builds and sessions that fail', () => {
  let cluster: FakeCluster;
  let server: BinderCellServer;

  beforeAll(async () => {
    cluster = await startFakeCluster(
      {
        'build-fails': { 'marker.txt': 'BUILD-FAILS\n' },
        'build-hangs': { 'marker.txt': 'BUILD-HANGS\n' },
        'pull-fails': {},
        unschedulable: {},
        'oom-killed': {},
        'evicted-starting': {},
      },
      {
        build: (_image, context) => {
          const text = context.toString('latin1');
          if (text.includes('BUILD-FAILS')) {
            return {
              lines: ['ERROR: No matching distribution found for nosuchpackage'],
              exitCode: 1,
            };
          }
          return { lines: ['building'], exitCode: 0, hang: text.includes('BUILD-HANGS') };
        },
        session: (pod) => {
          const repo = pod.metadata.annotations?.[POD_ANNOTATIONS.repo] ?? '';
          if (repo.startsWith('local/pull-fails')) return 'image-pull-back-off';
          if (repo.startsWith('local/unschedulable')) return { unschedulable: SCHEDULER };
          if (repo.startsWith('local/oom-killed')) return 'oom-killed';
          if (repo.startsWith('local/evicted-starting')) return 'evicted';
          return 'run';
        },
      },
    );
    server = await cluster.startReplica({
      build: { timeoutSeconds: 2 },
      sessions: { startTimeoutSeconds: 2 },
    });
  });
  afterAll(() => cluster.close());

  it('fails a build whose pod fails with 422 and the last lines of its log', async () => {
    const { failed } = await failure(server, 'local/build-fails');
    expect(failed.status).toBe(422);
    expect(failed.message).toContain(
      'the content image failed: the build failed: the builder exited with code 1',
    );
    expect(failed.message).toContain('No matching distribution found for nosuchpackage');
    // The replica put the build pods' NetworkPolicy in place before building.
    const instanceId = cluster.config.instanceId ?? '';
    expect(cluster.api.networkPolicy(buildNetworkPolicyName(instanceId))).toBeDefined();
  });

  it('stops a build at the build timeout and deletes its pod', async () => {
    const { failed } = await failure(server, 'local/build-hangs');
    expect(failed.message).toContain('took longer than the build timeout');
    const pod = cluster.kubelet.buildPods.at(-1) ?? '';
    expect(cluster.kubelet.contexts.get(pod)?.toString('latin1')).toContain('BUILD-HANGS');
    expect(cluster.api.pod(pod)).toBeUndefined();
  });

  it('says so when the session image cannot be pulled, and deletes the pod', async () => {
    const { failed } = await failure(server, 'local/pull-fails');
    expect(failed.status).toBe(500);
    expect(failed.message).toMatch(
      /could not pull the image .* \(ImagePullBackOff: Back-off pulling image/,
    );
    expect(sessionPods(cluster, 'local/pull-fails')).toEqual([]);
  });

  it("tells the reader the pod cannot be scheduled, and fails at the start timeout with the scheduler's words", async () => {
    const { failed, events } = await failure(server, 'local/unschedulable');
    const said = events.map((event) => `${event.message ?? ''}${'log' in event ? event.log : ''}`);
    expect(said).toContain(`The session pod cannot be scheduled yet: ${SCHEDULER}`);
    expect(failed.message).toContain('did not start within 2 s');
    expect(failed.message).toContain(`the scheduler: ${SCHEDULER}`);
    expect(sessionPods(cluster, 'local/unschedulable')).toEqual([]);
  });

  it('says a session pod was OOMKilled', async () => {
    const { failed } = await failure(server, 'local/oom-killed');
    expect(failed.message).toContain('it used more memory than its limit allows');
    expect(sessionPods(cluster, 'local/oom-killed')).toEqual([]);
  });

  it('says a session pod evicted while starting wrote more to its disk than its limit allows', async () => {
    const { failed } = await failure(server, 'local/evicted-starting');
    expect(failed.message).toContain(
      'it wrote more to its local disk than its limit allows (sessions.ephemeralStorage.limit) ' +
        '(Evicted: Pod ephemeral local storage usage exceeds the total limit of containers 4Gi.)',
    );
    expect(failed.message).not.toContain('code 137');
    expect(sessionPods(cluster, 'local/evicted-starting')).toEqual([]);
  });
});

/** Names of the session pods of a repository still in the fake cluster. */
function sessionPods(cluster: FakeCluster, repo: string): string[] {
  return cluster.api
    .pods()
    .filter((pod) => pod.metadata.annotations?.[POD_ANNOTATIONS.repo]?.startsWith(repo))
    .map((pod) => pod.metadata.name);
}

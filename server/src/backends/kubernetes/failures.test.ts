import type { FailedEvent, LaunchEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../../server.js';
import { createLogger } from '../../logger.js';
import { launch } from '../../test-support/launch-client.js';
import { openLaunch } from '../../test-support/launch-stream.js';
import type { LaunchStream } from '../../test-support/launch-stream.js';
import { KubeClient, loadKubeConfig } from './client.js';
import { POD_ANNOTATIONS } from './labels.js';
import { buildNetworkPolicyName, networkPolicyName } from './network-policy.js';
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
        'build-evicted': { 'marker.txt': 'BUILD-HANGS evicted\n' },
        'build-deleted': { 'marker.txt': 'BUILD-HANGS deleted\n' },
        'no-policy': { 'marker.txt': 'NO-POLICY\n' },
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

  /** A launch of `repo` on a replica with the default build timeout, once its content image's build step runs. */
  async function buildingContent(repo: string): Promise<{ stream: LaunchStream; pod: string }> {
    const patient = await cluster.startReplica();
    const stream = await openLaunch(patient.url, { repo });
    const started = await stream.until((event) => /^Building the content image/.test(said(event)));
    const pod = / in pod (\S+)$/.exec(said(started.event))?.[1] ?? '';
    await stream.until((event) => said(event) === 'building');
    return { stream, pod };
  }

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

  it("says a build pod evicted for filling its workspace went over builder.workspaceSize: the server's limit (500), not the repository's fault", async () => {
    const { stream, pod } = await buildingContent('local/build-evicted');
    cluster.api.setStatus(pod, {
      phase: 'Failed',
      reason: 'Evicted',
      message: 'Usage of EmptyDir volume "workspace" exceeds the limit "20Gi". ',
      initContainerStatuses: [
        { name: 'context', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'build', state: { terminated: { exitCode: 137, reason: 'Error' } } },
      ],
    });
    const { event } = await stream.until((each) => each.phase === 'failed');
    expect(event).toMatchObject({ phase: 'failed', status: 500 });
    expect(event.message).toContain(
      `the content image failed: its pod ${pod} ended early: it wrote more to its local disk than its limit allows (builder.workspaceSize) (Evicted: Usage of EmptyDir volume "workspace" exceeds the limit "20Gi".)`,
    );
    expect(event.message).not.toContain('code 137');
  });

  it('says a build pod deleted while it ran (a drain, a preemption) was taken away, with 500, not 422', async () => {
    const { stream, pod } = await buildingContent('local/build-deleted');
    await new KubeClient(
      loadKubeConfig(cluster.api.kubeconfig),
      'test',
      createLogger('silent'),
    ).deletePod(pod);
    const { event } = await stream.until((each) => each.phase === 'failed');
    expect(event).toMatchObject({ phase: 'failed', status: 500 });
    expect(event.message).toContain(
      `its pod ${pod} was deleted while it ran (a node drain, a preemption or a delete), through no fault of the repository`,
    );
  });

  it('answers /health 503 naming the NetworkPolicy it cannot put in place, fails launches before they build, and recovers', async () => {
    cluster.api.answerNetworkPolicies('forbid');
    try {
      const replica = await cluster.startReplica({ instanceId: 'no-policy' });
      const health = await fetch(new URL('health', replica.url));
      expect(health.status).toBe(503);
      expect(((await health.json()) as { problem?: string }).problem).toMatch(
        /NetworkPolicy could not be put in place: [\s\S]*forbidden/,
      );
      const built = cluster.kubelet.buildPods.length;
      const { failed } = await failure(replica, 'local/no-policy');
      expect(failed.status).toBe(503);
      expect(failed.message).toMatch(/NetworkPolicy could not be put in place/);
      expect(cluster.kubelet.buildPods).toHaveLength(built);

      cluster.api.answerNetworkPolicies('accept');
      expect((await fetch(new URL('health', replica.url))).status).toBe(200);
      expect(cluster.api.networkPolicy(networkPolicyName('no-policy'))).toBeDefined();
      expect(cluster.api.networkPolicy(buildNetworkPolicyName('no-policy'))).toBeDefined();
    } finally {
      cluster.api.answerNetworkPolicies('accept');
    }
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

/** What an event says: its message or its log line. */
function said(event: LaunchEvent): string {
  return `${event.message ?? ''}${'log' in event ? (event.log ?? '') : ''}`;
}

/** Names of the session pods of a repository still in the fake cluster. */
function sessionPods(cluster: FakeCluster, repo: string): string[] {
  return cluster.api
    .pods()
    .filter((pod) => pod.metadata.annotations?.[POD_ANNOTATIONS.repo]?.startsWith(repo))
    .map((pod) => pod.metadata.name);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthInfo, LaunchEvent, ReadyEvent } from '@binder-cell/launch-protocol';
import type { BinderCellServer } from '../../server.js';
import { execute, startKernel } from '../../test-support/kernel-client.js';
import { launch, launchReady } from '../../test-support/launch-client.js';
import { openLaunch } from '../../test-support/launch-stream.js';
import { readMetrics, sampleValue } from '../../test-support/metrics-text.js';
import { startFakeCluster, through } from './test-support/fake-cluster.js';
import type { FakeCluster } from './test-support/fake-cluster.js';
import { podName } from './session-pods.js';

/** Runs `code` in a new kernel of the session, through whichever replica `ready` points at. */
async function run(ready: ReadyEvent, code: string): Promise<string> {
  const { kernel, dispose } = await startKernel(ready);
  try {
    return (await execute(kernel, code)).stdout;
  } finally {
    dispose();
  }
}

/** What an event says: its message or its log line. */
function text(event: LaunchEvent): string {
  return `${event.message ?? ''}${'log' in event ? (event.log ?? '') : ''}`;
}

async function health(replica: BinderCellServer): Promise<HealthInfo> {
  return (await (await fetch(new URL('health', replica.url))).json()) as HealthInfo;
}

/** `binder_cell_sessions` and `binder_cell_instance_sessions{kind="reader"}` of a replica. */
async function sessionGauges(replica: BinderCellServer): Promise<[number?, number?]> {
  const text = await readMetrics(replica.url);
  return [
    sampleValue(text, 'binder_cell_sessions', { backend: 'kubernetes' }),
    sampleValue(text, 'binder_cell_instance_sessions', { backend: 'kubernetes', kind: 'reader' }),
  ];
}

async function sessionStatus(replica: BinderCellServer, ready: ReadyEvent): Promise<number> {
  const response = await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, replica.url), {
    headers: { authorization: `token ${ready.token}` },
  });
  return response.status;
}

describe('kubernetes backend: several replicas on one cluster', () => {
  let releaseBuilds: () => void = () => undefined;
  const buildsReleased = new Promise<void>((resolve) => (releaseBuilds = resolve));
  let cluster: FakeCluster;
  let a: BinderCellServer;
  let b: BinderCellServer;

  beforeAll(async () => {
    cluster = await startFakeCluster(
      { shared: { 'hello.py': 'GREETING = "hello from the pod"\n' } },
      { build: () => ({ lines: [], exitCode: 0, gate: buildsReleased }) },
    );
    [a, b] = await Promise.all([cluster.startReplica(), cluster.startReplica()]);
  });
  afterAll(() => cluster.close());

  it('builds an image once for concurrent launches on two replicas, and streams its log to both', async () => {
    const [onA, onB] = await Promise.all([
      openLaunch(a.url, { repo: 'local/shared' }),
      openLaunch(b.url, { repo: 'local/shared' }),
    ]);
    // Both follow the environment image's build before it ends.
    const building = (event: LaunchEvent) => text(event).startsWith('fake builder: building');
    await Promise.all([onA.until(building), onB.until(building)]);
    releaseBuilds();
    const ended = (event: LaunchEvent) => event.phase === 'ready' || event.phase === 'failed';
    const [lastA, lastB] = await Promise.all([onA.until(ended), onB.until(ended)]);
    expect([lastA.event.phase, lastB.event.phase]).toEqual(['ready', 'ready']);
    // One pod per image (environment and content), whichever replica created it.
    expect(cluster.kubelet.buildPods).toHaveLength(2);
    expect(new Set(cluster.kubelet.buildPods).size).toBe(2);
    const said = [...onA.seen, ...onB.seen].map(({ event }) => text(event));
    expect(said.filter((line) => line.startsWith('Building the environment image'))).toHaveLength(
      1,
    );
    expect(
      said.filter((line) => line.startsWith('Following the build of the environment image')),
    ).toHaveLength(1);
  });

  it('serves a session launched on one replica through the other, and a session ended on one is gone on both', async () => {
    const ready = await launchReady(a.url, { repo: 'local/shared' });
    expect(await run(through(b, ready), 'import hello; print(hello.GREETING)')).toBe(
      'hello from the pod\n',
    );
    expect(await sessionStatus(b, ready)).toBe(200);

    const ended = await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, b.url), {
      method: 'DELETE',
      headers: { authorization: `token ${ready.token}` },
    });
    expect(ended.status).toBe(204);
    expect(cluster.api.pod(podName(ready.sessionId))).toBeUndefined();
    await expect.poll(() => a.registry.get(ready.sessionId)).toBeUndefined();
    expect(await sessionStatus(a, ready)).toBe(410);
  });

  it('re-adopts its sessions after a restart, their tokens still working', async () => {
    const ready = await launchReady(a.url, { repo: 'local/shared' });
    await a.close();
    a = await cluster.startReplica();
    expect(a.registry.get(ready.sessionId)).toBeDefined();
    expect(await run(through(a, ready), 'print(6 * 7)')).toBe('42\n');
  });

  it('counts on each replica the sessions it launched, and the whole instance the same on every replica', async () => {
    const [e, f] = await Promise.all([cluster.startReplica(), cluster.startReplica()]);
    const before = (await health(e)).instance?.sessions ?? 0;
    const ready = await launchReady(e.url, { repo: 'local/shared' });
    // The reader reaches f too: f adopts the session, and serves it, but did not launch it.
    expect(await sessionStatus(f, ready)).toBe(200);
    expect(f.registry.get(ready.sessionId)).toBeDefined();
    await expect
      .poll(async () => [await health(e), await health(f)].map((h) => [h.sessions, h.instance]))
      .toEqual([
        [1, { sessions: before + 1, pooled: 0 }],
        [0, { sessions: before + 1, pooled: 0 }],
      ]);
    // Summed over replicas, binder_cell_sessions counts the session once; the instance's
    // gauge is the same on each.
    expect(await sessionGauges(e)).toEqual([1, before + 1]);
    expect(await sessionGauges(f)).toEqual([0, before + 1]);
    await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, f.url), {
      method: 'DELETE',
      headers: { authorization: `token ${ready.token}` },
    });
    await expect.poll(async () => (await health(e)).instance?.sessions).toBe(before);
  });

  it('limits each replica to maxSessions sessions it launched: those it adopted (reached through it, or found at a restart) do not count', async () => {
    const limits = { sessions: { maxSessions: 2 } };
    let c = await cluster.startReplica(limits);
    const d = await cluster.startReplica(limits);
    const first = await launchReady(c.url, { repo: 'local/shared' });
    const second = await launchReady(d.url, { repo: 'local/shared' });
    // The reader of the second session reaches c: c adopts it.
    expect(await sessionStatus(c, second)).toBe(200);
    expect(c.registry.get(second.sessionId)).toBeDefined();
    const third = await launchReady(c.url, { repo: 'local/shared' });
    // Restarted, c adopts every session of the instance, and still launches.
    await c.close();
    c = await cluster.startReplica(limits);
    expect(c.registry.size).toBeGreaterThanOrEqual(3);
    const fourth = await launchReady(c.url, { repo: 'local/shared' });
    const fifth = await launchReady(c.url, { repo: 'local/shared' });
    // Two launched in this run: the third is refused.
    const refused = await launch(c.url, { repo: 'local/shared' });
    expect(refused.status).toBe(503);
    for (const ready of [first, second, third, fourth, fifth]) {
      const ended = await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, c.url), {
        method: 'DELETE',
        headers: { authorization: `token ${ready.token}` },
      });
      expect(ended.status).toBe(204);
    }
  });
});

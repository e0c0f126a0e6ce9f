import { Readable } from 'node:stream';
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Pod } from 'kubernetes-models/v1';
import type { IPod } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { captureLogs } from '../../test-support/log-capture.js';
import { KubeClient, loadKubeConfig, statusOf } from './client.js';
import type { PodEvent } from './client.js';
import { kubernetesSettings } from './config.js';
import { buildPod } from './build-manifests.js';
import { sessionNetworkPolicy } from './manifests.js';
import { startFakeApiServer } from './test-support/fake-api-server.js';
import type { FakeApiServer } from './test-support/fake-api-server.js';

const settings = kubernetesSettings.parse({ registry: { prefix: 'registry.example.org/bc' } });

/** Long enough for the lists the client makes a second apart when it cannot watch. */
const LISTED = { timeout: 15_000 };

/** Each pod's phase as the last event about it says (`gone` once deleted). */
function latest(events: readonly PodEvent[]): Record<string, string> {
  return Object.fromEntries(
    events.map(({ name, pod: seen }) => [name, seen?.status?.phase ?? 'gone']),
  );
}

function pod(name: string, labels: Record<string, string> = { app: 'test' }): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels, annotations: { 'org.binder-cell.claimed': 'false' } },
    spec: { containers: [{ name: 'main', image: 'busybox' }] },
  };
}

describe('the client wrapper, through @kubernetes/client-node, against the fake API server', () => {
  let api: FakeApiServer;
  let client: KubeClient;

  beforeAll(async () => {
    api = await startFakeApiServer();
    client = new KubeClient(loadKubeConfig(api.kubeconfig), 'test', createLogger('silent'));
  });
  afterAll(() => api.close());

  it('creates a pod once: a second create of the name answers 409, which reads as "exists"', async () => {
    expect(await client.createPod(pod('one'))).toBe('created');
    expect(await client.createPod(pod('one'))).toBe('exists');
    expect((await client.readPod('one'))?.status?.phase).toBe('Pending');
    expect(await client.readPod('none')).toBeUndefined();
  });

  it('lists by label selector and deletes, a missing pod counting as deleted', async () => {
    await client.createPod(pod('other', { app: 'other' }));
    expect((await client.listPods('app=other')).map((found) => found.metadata?.name)).toEqual([
      'other',
    ]);
    await client.deletePod('other');
    await client.deletePod('other');
    expect(await client.listPods('app=other')).toEqual([]);
  });

  it('applies a JSON patch whose test holds, and reports a conflict when it does not', async () => {
    const claim = [
      {
        op: 'test' as const,
        path: '/metadata/annotations/org.binder-cell.claimed',
        value: 'false',
      },
      {
        op: 'replace' as const,
        path: '/metadata/annotations/org.binder-cell.claimed',
        value: 'true',
      },
    ];
    expect(await client.patchPod('one', claim)).toBe('patched');
    expect(await client.patchPod('one', claim)).toBe('conflict');
    expect(await client.patchPod('none', claim)).toBe('gone');
  });

  it('refuses a merge patch made against an old resourceVersion with 409', async () => {
    const core = loadKubeConfig(api.kubeconfig).makeApiClient(CoreV1Api);
    const current = await core.readNamespacedPod({ name: 'one', namespace: 'test' });
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const change = (value: string) => ({
      metadata: { resourceVersion: current.metadata?.resourceVersion, labels: { step: value } },
    });
    await core.patchNamespacedPod({ name: 'one', namespace: 'test', body: change('1') }, merge);
    const stale = core.patchNamespacedPod(
      { name: 'one', namespace: 'test', body: change('2') },
      merge,
    );
    await expect(stale.catch(statusOf)).resolves.toBe(409);
    expect((await client.readPod('one'))?.metadata?.labels?.step).toBe('1');
  });

  it('watches pods of a selector: added, changed, and gone', async () => {
    const events: PodEvent[] = [];
    const stop = new AbortController();
    client.watchPods('app=watched', (event) => events.push(event), stop.signal);
    await client.createPod(pod('watched', { app: 'watched' }));
    api.setStatus('watched', { phase: 'Running', podIP: '127.0.0.9' });
    await client.deletePod('watched');
    await expect
      .poll(() => events.map(({ pod: seen }) => seen?.status?.phase ?? 'gone'))
      .toEqual(['Pending', 'Running', 'gone']);
    stop.abort();
  });

  it('watches again after a dropped connection, and reports what changed while it was down', async () => {
    const events: PodEvent[] = [];
    const stop = new AbortController();
    client.watchPods('app=dropped', (event) => events.push(event), stop.signal);
    await client.createPod(pod('dropped-a', { app: 'dropped' }));
    await client.createPod(pod('dropped-b', { app: 'dropped' }));
    await expect
      .poll(() => latest(events), LISTED)
      .toEqual({ 'dropped-a': 'Pending', 'dropped-b': 'Pending' });
    const watches = api.watchRequests;
    api.dropWatches();
    api.setStatus('dropped-a', { phase: 'Running' });
    await client.deletePod('dropped-b');
    await expect
      .poll(() => latest(events), LISTED)
      .toEqual({ 'dropped-a': 'Running', 'dropped-b': 'gone' });
    await expect.poll(() => api.watchRequests, LISTED).toBeGreaterThan(watches);
    api.setStatus('dropped-a', { phase: 'Succeeded' });
    await expect.poll(() => latest(events)['dropped-a'], LISTED).toBe('Succeeded');
    stop.abort();
  });

  it('lists and watches again when the watch answers 410 Expired, losing no change', async () => {
    const logs = captureLogs('warn');
    const watching = new KubeClient(loadKubeConfig(api.kubeconfig), 'test', logs.logger);
    const events: PodEvent[] = [];
    const stop = new AbortController();
    watching.watchPods('app=expired', (event) => events.push(event), stop.signal);
    await watching.createPod(pod('expired', { app: 'expired' }));
    await expect.poll(() => latest(events), LISTED).toEqual({ expired: 'Pending' });
    api.answerWatch('expire');
    const watches = api.watchRequests;
    api.dropWatches();
    api.setStatus('expired', { phase: 'Running' });
    await expect.poll(() => latest(events), LISTED).toEqual({ expired: 'Running' });
    // Two watches refused with 410: it went on after each.
    await expect.poll(() => api.watchRequests, LISTED).toBeGreaterThanOrEqual(watches + 2);
    api.answerWatch('accept');
    api.setStatus('expired', { phase: 'Succeeded' });
    await expect.poll(() => latest(events), LISTED).toEqual({ expired: 'Succeeded' });
    stop.abort();
    // 410 is the API server's way of saying "list again": nothing to warn about.
    expect(logs.records()).toEqual([]);
  });

  it('without the watch verb (403), lists instead and warns once, naming the verb and what follows', async () => {
    const logs = captureLogs('warn');
    const unwatched = new KubeClient(loadKubeConfig(api.kubeconfig), 'test', logs.logger);
    api.answerWatch('forbid');
    const events: PodEvent[] = [];
    const stop = new AbortController();
    try {
      const watches = api.watchRequests;
      unwatched.watchPods('app=unwatched', (event) => events.push(event), stop.signal);
      await unwatched.createPod(pod('unwatched', { app: 'unwatched' }));
      await expect.poll(() => latest(events), LISTED).toEqual({ unwatched: 'Pending' });
      api.setStatus('unwatched', { phase: 'Running' });
      await expect.poll(() => latest(events), LISTED).toEqual({ unwatched: 'Running' });
      await expect.poll(() => api.watchRequests, LISTED).toBeGreaterThanOrEqual(watches + 3);
    } finally {
      stop.abort();
      api.answerWatch('accept');
    }
    const warnings = logs.records();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ verb: 'watch', resource: 'pods', namespace: 'test' });
    expect(warnings[0]?.msg).toMatch(
      /lacks the "watch" verb on pods.*lists them every 1 s instead/,
    );
  });

  it("follows a container's log until the container ends", async () => {
    await client.createPod(pod('logging'));
    api.appendLog('logging', 'main', 'first');
    const lines: string[] = [];
    const following = client.followLog(
      'logging',
      'main',
      (line) => lines.push(line),
      AbortSignal.timeout(60_000),
    );
    await expect.poll(() => lines).toEqual(['first']);
    api.appendLog('logging', 'main', 'second');
    api.setStatus('logging', {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 0 } } }],
    });
    await following;
    expect(lines).toEqual(['first', 'second']);
    expect(await client.logTail('logging', 'main', 1)).toEqual(['second']);
  });

  it("sends a stream to a container's standard input through attach", async () => {
    await client.createPod(pod('attached'));
    const received = new Promise<Buffer>((resolve) =>
      api.onInput((_pod, _c, input) => resolve(input)),
    );
    await client.attachInput(
      'attached',
      'main',
      Readable.from([Buffer.from('a build context')]),
      AbortSignal.timeout(60_000),
    );
    expect((await received).toString()).toBe('a build context');
  });

  it('stops following a log when its signal aborts while the request opens', async () => {
    await client.createPod(pod('still-logging'));
    api.appendLog('still-logging', 'main', 'running');
    const stop = new AbortController();
    const following = client.followLog('still-logging', 'main', () => undefined, stop.signal);
    stop.abort();
    await expect(following).resolves.toBeUndefined();
  });

  it('closes an attach whose signal aborts while the connection opens', async () => {
    await client.createPod(pod('attach-stopped'));
    const stop = new AbortController();
    const never = new Readable({ read: () => undefined });
    const attaching = client.attachInput('attach-stopped', 'main', never, stop.signal);
    stop.abort();
    await expect(attaching).resolves.toBeUndefined();
  });

  it('creates the NetworkPolicy, leaves it when unchanged and replaces it when the config changed', async () => {
    const policy = (allow: string[]) =>
      sessionNetworkPolicy({
        name: 'binder-cell-sessions-test',
        instanceId: 'test',
        port: 8888,
        serverNamespace: 'test',
        settings: kubernetesSettings.parse({ networkPolicy: { egress: { allow } } }).networkPolicy,
      });
    expect(await client.applyNetworkPolicy(policy(['0.0.0.0/0']))).toBe('created');
    expect(await client.applyNetworkPolicy(policy(['0.0.0.0/0']))).toBe('unchanged');
    expect(await client.applyNetworkPolicy(policy(['0.0.0.0/1']))).toBe('updated');
    expect(api.networkPolicy('binder-cell-sessions-test')?.spec).toMatchObject({
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/1' } }] }, {}],
    });
  });

  it('sent only objects the Kubernetes schemas accept', async () => {
    await client.createPod(
      buildPod({
        name: 'binder-cell-build-0',
        instanceId: 'test',
        buildHash: '0',
        tag: 'registry.example.org/bc/env:0',
        dockerfile: 'Dockerfile',
        buildargs: {},
        labels: {},
        settings,
      }),
    );
    const kinds = api.received.map((object) => object.kind);
    expect(kinds).toContain('NetworkPolicy');
    expect(kinds).toContain('Pod');
    for (const object of api.received) {
      if (object.kind === 'NetworkPolicy')
        new NetworkPolicy(object as unknown as INetworkPolicy).validate();
      else new Pod(object as unknown as IPod).validate();
    }
  });
});

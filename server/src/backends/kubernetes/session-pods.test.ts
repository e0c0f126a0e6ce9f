import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../../server.js';
import { execute, startKernel } from '../../test-support/kernel-client.js';
import { launchReady } from '../../test-support/launch-client.js';
import { POD_ANNOTATIONS } from './labels.js';
import { ALL_ADDRESSES, SESSION_CONTAINER } from './manifests.js';
import { podName } from './session-pods.js';
import { startFakeCluster } from './test-support/fake-cluster.js';
import type { FakeCluster } from './test-support/fake-cluster.js';
import { EVICTED_FOR_DISK } from './test-support/fake-kubelet.js';

/** Whether this machine can listen on the IPv6 loopback address. */
function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

const ipv6 = await hasIpv6Loopback();
if (!ipv6) console.warn('skipped: no IPv6 loopback (::1) on this machine to run an IPv6 pod on');

describe('kubernetes backend: session pods', () => {
  let cluster: FakeCluster;
  let server: BinderCellServer;

  beforeAll(async () => {
    cluster = await startFakeCluster(
      { v6: { 'where.py': 'WHERE = "an IPv6 pod"\n' }, evicted: {} },
      {
        session: (pod) =>
          pod.metadata.annotations?.[POD_ANNOTATIONS.repo]?.startsWith('local/v6')
            ? 'run-ipv6'
            : 'run',
      },
    );
    server = await cluster.startReplica();
  });
  afterAll(() => cluster.close());

  it('tells the reader of a running session that its pod was evicted for its disk, and deletes the pod', async () => {
    const ready = await launchReady(server.url, { repo: 'local/evicted' });
    cluster.api.setStatus(podName(ready.sessionId), EVICTED_FOR_DISK);
    const status = async () => {
      const response = await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, server.url), {
        headers: { authorization: `token ${ready.token}` },
      });
      return { status: response.status, body: (await response.json()) as { message?: string } };
    };
    await expect.poll(async () => (await status()).status).toBe(410);
    expect((await status()).body.message).toContain(
      'its kernel server exited: it wrote more to its local disk than its limit allows',
    );
    await expect.poll(() => cluster.api.pod(podName(ready.sessionId))).toBeUndefined();
  });

  it('tells the reader of a session whose pod was evicted while no replica ran why, once one starts', async () => {
    const ready = await launchReady(server.url, { repo: 'local/evicted' });
    await server.close();
    cluster.api.setStatus(podName(ready.sessionId), EVICTED_FOR_DISK);
    server = await cluster.startReplica();
    expect(cluster.api.pod(podName(ready.sessionId))).toBeUndefined();
    const response = await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, server.url), {
      headers: { authorization: `token ${ready.token}` },
    });
    expect(response.status).toBe(410);
    expect(((await response.json()) as { message: string }).message).toContain(
      'its kernel server stopped: it wrote more to its local disk than its limit allows',
    );
  });

  it.skipIf(!ipv6)(
    'reaches a pod whose IP is IPv6 through the proxy at its bracketed address, kernel WebSocket included',
    async () => {
      const ready = await launchReady(server.url, { repo: 'local/v6' });
      const pod = cluster.api.pod(podName(ready.sessionId));
      expect(pod?.status?.podIP).toBe('::1');
      // The pod's kernel server listens on every address, IPv6 ones too.
      const container = (pod?.spec?.containers as { name: string; command: string[] }[]).find(
        ({ name }) => name === SESSION_CONTAINER,
      );
      expect(container?.command).toContain(`--ServerApp.ip=${ALL_ADDRESSES}`);
      expect(server.registry.get(ready.sessionId)?.server.url).toMatch(/^http:\/\/\[::1\]:\d+\/$/);
      const { kernel, dispose } = await startKernel(ready);
      try {
        expect((await execute(kernel, 'import where; print(where.WHERE)')).stdout).toBe(
          'an IPv6 pod\n',
        );
      } finally {
        dispose();
      }
    },
  );
});

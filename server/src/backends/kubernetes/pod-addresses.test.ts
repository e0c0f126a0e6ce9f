import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../../server.js';
import { execute, startKernel } from '../../test-support/kernel-client.js';
import { launchReady } from '../../test-support/launch-client.js';
import { ALL_ADDRESSES, SESSION_CONTAINER } from './manifests.js';
import { podName } from './session-pods.js';
import { startFakeCluster } from './test-support/fake-cluster.js';
import type { FakeCluster } from './test-support/fake-cluster.js';

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

describe.skipIf(!ipv6)('kubernetes backend: a session pod whose IP is IPv6', () => {
  let cluster: FakeCluster;
  let server: BinderCellServer;

  beforeAll(async () => {
    cluster = await startFakeCluster(
      { v6: { 'where.py': 'WHERE = "an IPv6 pod"\n' } },
      { session: () => 'run-ipv6' },
    );
    server = await cluster.startReplica();
  });
  afterAll(() => cluster.close());

  it('is reached through the proxy at its bracketed address, kernel WebSocket included', async () => {
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
  });
});

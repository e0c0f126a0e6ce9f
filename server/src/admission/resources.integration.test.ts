import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../backends/docker/labels.js';
import type { BinderCellServer } from '../server.js';
import { docker, startDockerTestServer } from '../test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { execute, startKernel } from '../test-support/kernel-client.js';
import { launch } from '../test-support/launch-client.js';

/** What the kernel's own cgroup allows: memory in bytes and CPUs (cgroup v1 or v2). */
const READ_CGROUP = `
import os
def read(path):
    return open(path).read().strip() if os.path.exists(path) else None
memory = read('/sys/fs/cgroup/memory.max') or read('/sys/fs/cgroup/memory/memory.limit_in_bytes')
cpu = read('/sys/fs/cgroup/cpu.max')
if cpu:
    quota, period = cpu.split()
else:
    quota, period = read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'), read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')
print(memory, int(quota) / int(period))
`;
import { stopTestServer } from '../test-support/server.js';

describe('resources a repository asks for, on the docker backend', () => {
  let server: BinderCellServer;

  beforeAll(async () => {
    server = await startDockerTestServer({
      docker: { limits: { memory: '512m', cpus: 0.5, pids: 200 } },
      admission: { resources: { maximum: { memory: '1g', cpus: 2 } } },
    });
  });
  afterAll(() => stopTestServer(server));

  it('grants binder/resources.json up to the maximum, says so, and the container has it', async () => {
    const repo = await createGitRepo({
      'README.md': 'resources\n',
      'binder/resources.json': '{ "memory": "1536m", "cpus": 0.75 }\n',
    });
    const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
    expect(events).toContainEqual({
      phase: 'building',
      message:
        'Granted 1 GiB of memory and 0.75 CPUs (capped: memory 1.5 GiB asked, 1 GiB at most)',
    });
    const ready = events.at(-1);
    if (ready?.phase !== 'ready') throw new Error(`not ready: ${JSON.stringify(ready)}`);
    const [found] = await docker.listContainers({
      filters: { label: [`${LABELS.session}=${ready.sessionId}`] },
    });
    const container = await docker.getContainer(found?.Id ?? '').inspect();
    expect(container.HostConfig.Memory).toBe(1024 ** 3);
    expect(container.HostConfig.NanoCpus).toBe(0.75e9);
    const { kernel, dispose } = await startKernel(ready);
    try {
      expect((await execute(kernel, READ_CGROUP)).stdout).toBe(`${1024 ** 3} 0.75\n`);
    } finally {
      dispose();
    }
  });

  it('refuses a malformed request with 422 before building', async () => {
    const repo = await createGitRepo({ 'binder/resources.json': '{ "memory": "plenty" }\n' });
    const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
    expect(events.at(-1)).toMatchObject({
      phase: 'failed',
      status: 422,
      message: expect.stringContaining('binder/resources.json is not a resource request') as string,
    });
    expect(events.map((event) => event.phase)).not.toContain('launching');
  });
});

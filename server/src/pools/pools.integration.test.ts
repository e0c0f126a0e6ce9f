import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../server.js';
import { startGitHttpServer } from '../test-support/git-http-server.js';
import type { GitHttpServer } from '../test-support/git-http-server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { connectToKernel, execute, startKernel } from '../test-support/kernel-client.js';
import type { KernelHandle } from '../test-support/kernel-client.js';
import { launch, launchReady } from '../test-support/launch-client.js';
import { readMetrics, sampleValue } from '../test-support/metrics-text.js';
import { startTestServer } from '../test-support/server.js';

/**
 * What a kernel sees of its session: working directory, files, and environment, with the
 * session's folder written `<session>`. Left out: the kernel's parent process, the kernel
 * server's internal token and the session's id, which differ from one session to the next.
 */
const LOOK_AROUND = `import os, json, sys
root = os.environ["JUPYTER_RUNTIME_DIR"].rsplit("/", 1)[0]
print(json.dumps({
  "cwd": os.getcwd().replace(root, "<session>"),
  "data": open("data.txt").read().strip(),
  "env": {k: v.replace(root, "<session>") for k, v in os.environ.items()
          if k not in ("JPY_PARENT_PID", "JUPYTER_TOKEN", "BINDER_CELL_SESSION")},
  "prefix": sys.prefix,
}, sort_keys=True))`;

async function lookAround(handle: KernelHandle): Promise<object> {
  try {
    const result = await execute(handle.kernel, LOOK_AROUND);
    if (result.reply.content.status !== 'ok') throw new Error(result.stderr);
    // The first run's number: a pool's warm-up run must not show as an earlier one.
    const count =
      'execution_count' in result.reply.content ? result.reply.content.execution_count : 0;
    return { ...(JSON.parse(result.stdout) as object), count };
  } finally {
    handle.dispose();
  }
}

describe('a warm pool on the local backend', () => {
  let git: GitHttpServer;
  let server: BinderCellServer;
  let spec: string;
  let commit: string;

  beforeAll(async () => {
    const repo = await createGitRepo({ 'data.txt': 'from the pool\n' });
    commit = repo.git('rev-parse', 'main');
    git = await startGitHttpServer();
    git.publish('org/pooled.git', repo.dir);
    spec = gitSpec(`${git.url}/org/pooled.git`, 'main');
    server = await startTestServer({ pools: [{ repo: spec, size: 1 }] });
    for (let waited = 0; server.pools.status()[0]?.ready !== 1; waited += 50) {
      if (waited > 120_000) throw new Error('the pool did not fill in 2 minutes');
      await sleep(50);
    }
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await git?.close();
  });

  it('gives a launch a running kernel that works like a fresh session, with its own token', async () => {
    const pool = { pool: spec, kernel: 'python3' };
    expect(sampleValue(await readMetrics(server.url), 'binder_cell_pool_sessions', pool)).toBe(1);
    const { events } = await launch(server.url, { repo: spec });
    expect(sampleValue(await readMetrics(server.url), 'binder_cell_pool_sessions', pool)).toBe(0);
    expect(events.map((event) => event.phase)).toEqual(['waiting', 'ready']);
    const pooled = events.at(-1) as ReadyEvent;
    expect(pooled).toMatchObject({ ref: commit, kernel: 'python3' });
    if (pooled.kernelId === undefined) throw new Error('the pooled session named no kernel');

    // Not from the pool: pinned to the commit, the spec is another one.
    const fresh = await launchReady(server.url, {
      repo: gitSpec(`${git.url}/org/pooled.git`, commit),
    });
    expect(fresh.kernelId).toBeUndefined();

    const seen = await lookAround(await connectToKernel(pooled, pooled.kernelId));
    const expected = await lookAround(await startKernel(fresh));
    expect(seen).toMatchObject({ cwd: '<session>/work', data: 'from the pool', count: 1 });
    expect(seen).toEqual(expected);

    // The other reader's token opens neither the session nor its kernel's WebSocket.
    const other = { ...pooled, token: fresh.token };
    const refused = await fetch(new URL(`api/kernels/${pooled.kernelId}`, pooled.url), {
      headers: { authorization: `token ${fresh.token}` },
    });
    expect(refused.status).toBe(403);
    await expect(connectToKernel(other, pooled.kernelId)).rejects.toThrow();
    await server.registry.end(pooled.sessionId, 'test finished');
    await server.registry.end(fresh.sessionId, 'test finished');
  }, 120_000);
});

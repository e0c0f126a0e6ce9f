/**
 * Launch request to kernel ready, from a warm pool and without one, in the same run:
 * POST /api/v1/launch until the session's kernel answers `1+1` through the proxy. From a
 * pool, the kernel the ready event names is connected to; without one (the same
 * repository pinned to its commit, so no pool matches and the image is cached), a kernel
 * is started as the SDK does. Each pooled launch waits for the pool to be full again, so
 * every one is served from a pool.
 *
 *   npm run bench:pool [-- --runs 20 --size 2 --docker]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { ConfigInput } from '../server/src/config.js';
import type { BinderCellServer } from '../server/src/server.js';
import { startDockerTestServer } from '../server/src/test-support/docker-server.js';
import { startGitHttpServer } from '../server/src/test-support/git-http-server.js';
import { createGitRepo, gitSpec } from '../server/src/test-support/git-repo.js';
import { connectToKernel, execute, startKernel } from '../server/src/test-support/kernel-client.js';
import { readDataLines } from '../server/src/test-support/launch-client.js';
import { startTestServer } from '../server/src/test-support/server.js';
import { formatMs, summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    size: { type: 'string', default: '2' },
    docker: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const size = Number(values.size);

/** ms from the launch request to `1+1` answered by the session's kernel. */
async function launchToKernelReady(server: BinderCellServer, repo: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(new URL('api/v1/launch', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ repo }),
  });
  const ready = (await readDataLines(response)).map(parseLaunchEvent).at(-1);
  if (ready?.phase !== 'ready') throw new Error(`launch failed: ${JSON.stringify(ready)}`);
  const { kernel, dispose } =
    ready.kernelId !== undefined
      ? await connectToKernel(ready, ready.kernelId)
      : await startKernel(ready);
  const result = await execute(kernel, '1+1');
  const ms = performance.now() - start;
  if (result.reply.content.status !== 'ok') throw new Error('1+1 failed');
  dispose();
  await server.registry.end(ready.sessionId, 'benchmark');
  return ms;
}

async function poolFull(server: BinderCellServer): Promise<void> {
  for (let waited = 0; (server.pools.status()[0]?.ready ?? 0) < size; waited += 20) {
    if (waited > 300_000) throw new Error('the pool did not fill in 5 minutes');
    await sleep(20);
  }
}

async function measure(
  name: string,
  start: (config: ConfigInput) => Promise<BinderCellServer>,
  pooledSpec: string,
  pinnedSpec: string,
): Promise<void> {
  const server = await start({
    pools: [{ repo: pooledSpec, size }],
    sessions: { maxSessions: size + 4 },
  });
  try {
    await poolFull(server);
    await launchToKernelReady(server, pinnedSpec); // warms the image cache and the proxy
    const pooled: number[] = [];
    const fresh: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      await poolFull(server);
      pooled.push(await launchToKernelReady(server, pooledSpec));
      fresh.push(await launchToKernelReady(server, pinnedSpec));
    }
    for (const [label, samples] of [
      ['from a pool', pooled],
      ['no pool', fresh],
    ] as const) {
      const { p50, p90 } = summarize(samples);
      console.log(
        `${name.padEnd(7)} ${label.padEnd(12)} launch to kernel ready  p50 ${formatMs(p50).padStart(10)}  p90 ${formatMs(p90).padStart(10)}`,
      );
    }
  } finally {
    await server.close();
  }
}

const repo = await createGitRepo({ 'data.txt': 'pooled\n' });
const git = await startGitHttpServer();
git.publish('org/pool-bench.git', repo.dir);
const url = `${git.url}/org/pool-bench.git`;
const pooledSpec = gitSpec(url, 'main');
const pinnedSpec = gitSpec(url, repo.git('rev-parse', 'main'));
console.log(`${runs} launches each, pool of ${size} (target from a pool: p50 under 150 ms)`);
try {
  await measure('local', startTestServer, pooledSpec, pinnedSpec);
  if (values.docker) await measure('docker', startDockerTestServer, pooledSpec, pinnedSpec);
} finally {
  await git.close();
}

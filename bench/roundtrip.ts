/**
 * Execute round trips (`1+1`) through the binder-cell proxy, straight to the session's
 * kernel server, to a stock jupyter_server started from the same environment, and over
 * raw ZMQ (the kernel's own floor), all in one run.
 *
 *   npm run bench:roundtrip [-- --runs 200]
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kernel } from '@jupyterlab/services';
import { createGitRepo, gitSpec } from '../server/src/test-support/git-repo.js';
import { execute, startKernel } from '../server/src/test-support/kernel-client.js';
import { launchReady } from '../server/src/test-support/launch-client.js';
import { startTestServer } from '../server/src/test-support/server.js';
import { formatMs, summarize } from './stats.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);

async function measure(kernel: Kernel.IKernelConnection): Promise<number[]> {
  for (let warm = 0; warm < 10; warm += 1) await execute(kernel, '1+1');
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await execute(kernel, '1+1');
    samples.push(performance.now() - start);
  }
  return samples;
}

async function onKernel<T>(
  target: { url: string; token: string },
  work: (kernel: Kernel.IKernelConnection) => Promise<T>,
): Promise<T> {
  const handle = await startKernel({
    url: target.url,
    wsUrl: target.url.replace(/^http/, 'ws'),
    token: target.token,
    kernel: 'python3',
  });
  try {
    return await work(handle.kernel);
  } finally {
    handle.dispose();
  }
}

/** jupyter_server as it ships: its own kernel WebSocket handling, no binder-cell glue. */
async function startStockServer(venv: string) {
  const runtime = await mkdtemp(join(tmpdir(), 'binder-cell-bench-'));
  const token = 'bench-stock-token';
  const child = spawn(
    join(venv, 'bin', 'python'),
    [
      '-m',
      'jupyter_server',
      '--ServerApp.ip=127.0.0.1',
      '--ServerApp.port=0',
      '--ServerApp.allow_root=True',
    ],
    {
      env: { ...process.env, JUPYTER_RUNTIME_DIR: runtime, JUPYTER_TOKEN: token },
      stdio: 'ignore',
    },
  );
  for (let tries = 0; tries < 400; tries += 1) {
    const info = (await readdir(runtime)).find((name) => /^jpserver-\d+\.json$/.test(name));
    if (info) {
      const { port } = JSON.parse(await readFile(join(runtime, info), 'utf8')) as { port: number };
      await sleep(200);
      return {
        url: `http://127.0.0.1:${port}/`,
        token,
        stop: async () => {
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
          await rm(runtime, { recursive: true, force: true });
        },
      };
    }
    await sleep(50);
  }
  throw new Error('the stock jupyter_server did not start');
}

/** The same round trip with jupyter_client over ZMQ, in the session's environment. */
async function measureZmq(venv: string): Promise<number[]> {
  const script = join(import.meta.dirname, 'zmq_roundtrip.py');
  const { stdout } = await promisify(execFile)(join(venv, 'bin', 'python'), [script, String(runs)]);
  return stdout.trim().split('\n').map(Number);
}

const repo = await createGitRepo({ 'README.md': 'roundtrip benchmark\n' });
const server = await startTestServer();
try {
  const ready = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
  const session = server.registry.get(ready.sessionId);
  if (!session) throw new Error('no session');
  const proxied = summarize(await onKernel(ready, measure));
  const direct = summarize(await onKernel(session.server, measure));
  const stockServer = await startStockServer(session.image.id);
  const stock = summarize(await onKernel(stockServer, measure).finally(() => stockServer.stop()));
  const zmq = summarize(await measureZmq(session.image.id));

  const row = (name: string, s: { p50: number; p90: number; p99: number }) =>
    `${name.padEnd(38)} p50 ${formatMs(s.p50).padStart(10)}  p90 ${formatMs(s.p90).padStart(10)}  p99 ${formatMs(s.p99).padStart(10)}`;
  console.log(`execute round trips of 1+1, ${runs} runs each (after 10 warm-up runs)`);
  console.log(row('through the binder-cell proxy', proxied));
  console.log(row('direct to the session kernel server', direct));
  console.log(row('stock jupyter_server (baseline)', stock));
  console.log(row('raw ZMQ, no WebSocket (kernel floor)', zmq));
  console.log(`proxy / direct p50 ratio: ${(proxied.p50 / direct.p50).toFixed(2)}`);
  console.log(`proxy / stock jupyter_server p50 ratio: ${(proxied.p50 / stock.p50).toFixed(3)}`);
} finally {
  await server.close();
}

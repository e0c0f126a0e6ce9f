/**
 * N concurrent sessions (local backend) each doing execute round trips (`1+1`) through the
 * binder-cell proxy for a fixed time, and the same round trips direct to the same kernels'
 * servers (the proxy's baseline under the same load) in alternating rounds; then to one
 * kernel alone (the floor).
 * The server runs in a process of its own (bench/load-server.ts): its RSS and CPU are printed.
 *
 *   npm run bench:load [-- --sessions 50 --seconds 20 --rounds 4]
 *   (or BENCH_SESSIONS / BENCH_SECONDS in the environment)
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { KernelManager, ServerConnection } from '@jupyterlab/services';
import type { Kernel } from '@jupyterlab/services';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import pLimit from 'p-limit';
import WebSocket from 'ws';
import { createGitRepo, gitSpec } from '../server/src/test-support/git-repo.js';
import { execute, startKernel } from '../server/src/test-support/kernel-client.js';
import { launchReady } from '../server/src/test-support/launch-client.js';
import type { KernelServersMessage } from './load-server.js';
import { cpuSeconds, residentMb } from './proc-stats.js';
import { formatMs, summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: process.env.BENCH_SESSIONS ?? '50' },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '20' },
    rounds: { type: 'string', default: '4' },
    'launch-concurrency': { type: 'string', default: '4' },
  },
});
/** Proxied and direct phases alternate, so a change in the machine's load hits both alike. */
const rounds = Number(values.rounds);
const sessions = Number(values.sessions);
const phaseMs = Number(values.seconds) * 1000;

interface Phase {
  samples: number[];
  /** Round trips that failed (their kernel died or its connection broke); that kernel stops. */
  failures: number;
  /** Server CPU over the phase, in percent of one core. */
  serverCpu: number;
  seconds: number;
}

type Route = 'proxy' | 'direct';

/** A round trip that takes longer than this counts as failed: its kernel is lost. */
const ROUND_TRIP_LIMIT_MS = 30_000;

function roundTrip(kernel: Kernel.IKernelConnection): Promise<unknown> {
  return Promise.race([
    execute(kernel, '1+1'),
    sleep(ROUND_TRIP_LIMIT_MS).then(() => Promise.reject(new Error('no reply'))),
  ]);
}

/** Every kernel runs `1+1` round trips back to back for `ms`. */
async function runPhase(
  server: ChildProcess,
  kernels: Kernel.IKernelConnection[],
  ms: number,
): Promise<Phase> {
  const live = (
    await Promise.all(
      kernels.map((kernel) =>
        roundTrip(kernel).then(
          () => kernel,
          () => undefined,
        ),
      ),
    )
  ).filter((kernel) => kernel !== undefined);
  const samples: number[] = [];
  let failures = kernels.length - live.length;
  const cpuBefore = await cpuSeconds(server.pid as number);
  const start = performance.now();
  const deadline = start + ms;
  await Promise.all(
    live.map(async (kernel) => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        try {
          await roundTrip(kernel);
        } catch {
          failures += 1;
          return;
        }
        samples.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const serverCpu = ((await cpuSeconds(server.pid as number)) - cpuBefore) / seconds;
  return { samples, failures, serverCpu: serverCpu * 100, seconds };
}

/** Connects to a kernel that is already running, through the proxy or on its kernel server. */
async function connectTo(
  target: { url: string; token: string },
  kernelId: string,
): Promise<{ kernel: Kernel.IKernelConnection; dispose: () => void }> {
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: target.url,
    wsUrl: target.url.replace(/^http/, 'ws'),
    token: target.token,
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const manager = new KernelManager({ serverSettings });
  await manager.ready;
  const kernel = manager.connectTo({ model: { id: kernelId, name: 'python3' } });
  return {
    kernel,
    dispose: () => {
      kernel.dispose();
      manager.dispose();
    },
  };
}

function merge(phases: Phase[]): Phase {
  const seconds = phases.reduce((sum, phase) => sum + phase.seconds, 0);
  return {
    samples: phases.flatMap((phase) => phase.samples),
    failures: phases.reduce((sum, phase) => sum + phase.failures, 0),
    seconds,
    serverCpu: phases.reduce((sum, phase) => sum + phase.serverCpu * phase.seconds, 0) / seconds,
  };
}

function request<T>(server: ChildProcess, kind: string): Promise<T> {
  const answer = new Promise<T>((resolve) => {
    const listen = (message: { kind: string }) => {
      if (message.kind !== kind) return;
      server.off('message', listen);
      resolve(message as T);
    };
    server.on('message', listen);
  });
  server.send({ kind });
  return answer;
}

// @jupyterlab/services rejects the futures of a kernel that dies with nobody awaiting
// some of them; a kernel lost under load is counted, not a reason to stop the run.
let lostFutures = 0;
process.on('unhandledRejection', (reason) => {
  if (!(reason instanceof Error && reason.message.startsWith('Canceled future'))) throw reason;
  lostFutures += 1;
});

const server = fork(new URL('./load-server.ts', import.meta.url), {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, BENCH_MAX_SESSIONS: String(sessions + 1) },
});
try {
  const [listening] = (await once(server, 'message')) as [{ url: string }];
  const base = new URL(listening.url);
  const repo = await createGitRepo({ 'README.md': 'load benchmark\n' });
  const spec = gitSpec(repo.url, 'main');
  await launchReady(base, { repo: spec }).then(async (first) => {
    await fetch(new URL(`api/v1/sessions/${first.sessionId}`, base), {
      method: 'DELETE',
      headers: { authorization: `token ${first.token}` },
    });
  });

  const launchStart = performance.now();
  const limit = pLimit(Number(values['launch-concurrency']));
  const ready: ReadyEvent[] = await Promise.all(
    Array.from({ length: sessions }, () => limit(() => launchReady(base, { repo: spec }))),
  );
  const proxied = await Promise.all(ready.map((session) => limit(() => startKernel(session))));
  const launchSeconds = (performance.now() - launchStart) / 1000;

  const kernelIds = proxied.map((handle) => handle.kernel.id);
  proxied.forEach((handle) => handle.dispose());
  const { servers } = await request<KernelServersMessage>(server, 'kernel-servers');
  const targets: Record<Route, { url: string; token: string }[]> = {
    proxy: ready,
    direct: ready.map((session) => {
      const target = servers[session.sessionId];
      if (!target) throw new Error(`no kernel server for session ${session.sessionId}`);
      return target;
    }),
  };
  const phases: Record<Route, Phase[]> = { proxy: [], direct: [] };
  for (let round = 0; round < rounds; round += 1) {
    const order: Route[] = round % 2 === 0 ? ['proxy', 'direct'] : ['direct', 'proxy'];
    for (const route of order) {
      const handles = await Promise.all(
        targets[route].map((target, index) => connectTo(target, kernelIds[index] as string)),
      );
      const kernels = handles.map((handle) => handle.kernel);
      phases[route].push(await runPhase(server, kernels, phaseMs / rounds));
      handles.forEach((handle) => handle.dispose());
    }
  }
  const memory = await residentMb(server.pid as number);
  const throughProxy = merge(phases.proxy);
  const directAll = merge(phases.direct);
  const alone = await connectTo(
    targets.direct[0] as { url: string; token: string },
    kernelIds[0] as string,
  );
  const directOne = await runPhase(server, [alone.kernel], phaseMs / rounds);
  alone.dispose();

  const row = (name: string, phase: Phase) => {
    const s = summarize(phase.samples);
    const rate = (phase.samples.length / phase.seconds).toFixed(0);
    return (
      `${name.padEnd(42)} ${String(phase.samples.length).padStart(6)} trips ${rate.padStart(5)}/s` +
      `  p50 ${formatMs(s.p50).padStart(10)}  p99 ${formatMs(s.p99).padStart(10)}` +
      `  server CPU ${phase.serverCpu.toFixed(0).padStart(3)}%` +
      (phase.failures > 0 ? `  ${phase.failures} failed` : '')
    );
  };
  console.log(
    `${sessions} sessions (local backend) started in ${launchSeconds.toFixed(1)} s; ` +
      `execute round trips of 1+1 for ${phaseMs / 1000} s each way, in ${rounds} alternating ` +
      'rounds, from one client process',
  );
  console.log(row(`through the proxy, ${sessions} at once`, throughProxy));
  console.log(row(`direct to the kernel servers, ${sessions} at once`, directAll));
  console.log(row('direct to one kernel, alone', directOne));
  const ratio = summarize(throughProxy.samples).p99 / summarize(directAll.samples).p99;
  console.log(
    `proxy / direct p99 at ${sessions} sessions: ${ratio.toFixed(2)} (target: 1.5 or less)`,
  );
  if (lostFutures > 0) console.log(`kernel requests lost with a kernel that died: ${lostFutures}`);
  console.log(
    `server process (node, without its kernel servers): RSS ${memory.rss.toFixed(0)} MB ` +
      `after the proxied phase, peak ${memory.peak.toFixed(0)} MB; CPU in percent of one core`,
  );
} finally {
  server.send({ kind: 'stop' });
  await once(server, 'exit');
}

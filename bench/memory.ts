/**
 * Memory per idle session (its kernel server plus one started kernel), for the local
 * backend (RSS and PSS of the two processes, from /proc) and the docker backend (the
 * container's memory as `docker stats` reports it), in MB.
 *
 *   npm run bench:memory [-- --sessions 4 --settle 5]
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, promisify } from 'node:util';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import type { BinderCellServer } from '../server/src/server.js';
import { packageIndexes, startDockerTestServer } from '../server/src/test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../server/src/test-support/git-repo.js';
import { execute, startKernel } from '../server/src/test-support/kernel-client.js';
import type { KernelHandle } from '../server/src/test-support/kernel-client.js';
import { launchReady } from '../server/src/test-support/launch-client.js';
import { startTestServer, stopTestServer } from '../server/src/test-support/server.js';
import { processMemoryMb } from './proc-stats.js';
import { percentile } from './stats.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '4' },
    settle: { type: 'string', default: '5' },
  },
});
const sessions = Number(values.sessions);

interface IdleSession {
  ready: ReadyEvent;
  handle: KernelHandle;
  /** The kernel's pid and its parent's (the kernel server), as the kernel sees them. */
  pids: [number, number];
}

/** Launches idle sessions, each with one kernel that ran `1+1`, then lets them settle. */
async function idleSessions(server: BinderCellServer, spec: string): Promise<IdleSession[]> {
  await launchReady(server.url, { repo: spec }).then((first) =>
    server.registry.end(first.sessionId, 'bench'),
  );
  const idle: IdleSession[] = [];
  for (let index = 0; index < sessions; index += 1) {
    const ready = await launchReady(server.url, { repo: spec });
    const handle = await startKernel(ready);
    const { stdout } = await execute(handle.kernel, 'import os; print(os.getpid(), os.getppid())');
    const [kernel, parent] = stdout.trim().split(' ').map(Number) as [number, number];
    idle.push({ ready, handle, pids: [kernel, parent] });
  }
  await sleep(Number(values.settle) * 1000);
  return idle;
}

const median = (samples: number[]) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
const mb = (value: number) => `${value.toFixed(0)} MB`;

async function local(spec: string): Promise<void> {
  const server = await startTestServer();
  try {
    const idle = await idleSessions(server, spec);
    const rss: number[] = [];
    const pss: number[] = [];
    for (const session of idle) {
      const [kernel, kernelServer] = await Promise.all(session.pids.map(processMemoryMb));
      rss.push((kernel?.rss ?? 0) + (kernelServer?.rss ?? 0));
      pss.push((kernel?.pss ?? 0) + (kernelServer?.pss ?? 0));
    }
    idle.forEach((session) => session.handle.dispose());
    console.log(
      `local   kernel server + kernel, median of ${sessions}:  PSS ${mb(median(pss))}  RSS ${mb(median(rss))}`,
    );
  } finally {
    await server.close();
  }
}

/** `docker stats` memory of a container, in MB (it reports MiB/GiB/kB). */
async function containerMemoryMb(name: string): Promise<number> {
  const { stdout } = await promisify(execFile)('docker', [
    'stats',
    '--no-stream',
    '--format',
    '{{.MemUsage}}',
    name,
  ]);
  const match = /^([\d.]+)\s*(kB|KiB|MB|MiB|GB|GiB)/.exec(stdout.trim());
  if (!match) throw new Error(`docker stats answered ${stdout}`);
  const bytes: Record<string, number> = {
    KiB: 1024,
    MiB: 1024 ** 2,
    GiB: 1024 ** 3,
    kB: 1e3,
    MB: 1e6,
    GB: 1e9,
  };
  return (Number(match[1]) * (bytes[match[2] as string] ?? NaN)) / 1e6;
}

async function docker(spec: string): Promise<void> {
  const server = await startDockerTestServer();
  try {
    const idle = await idleSessions(server, spec);
    const used: number[] = [];
    for (const session of idle) {
      used.push(await containerMemoryMb(`binder-cell-${session.ready.sessionId}`));
    }
    idle.forEach((session) => session.handle.dispose());
    console.log(
      `docker  session container (docker stats), median of ${sessions}:  ${mb(median(used))}`,
    );
  } finally {
    await stopTestServer(server);
  }
}

const repo = await createGitRepo({ 'README.md': 'memory benchmark\n' });
const spec = gitSpec(repo.url, 'main');
console.log(
  `memory per idle session (kernel server + one kernel that ran 1+1), settled ${values.settle} s; 1 MB = 10^6 bytes`,
);
await local(spec);
await docker(spec);
// The package indexes the docker builds used are served for the whole run: stop them.
await (await packageIndexes()).close();

import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { BinderCellServer } from '../server/src/server.js';
import { execute, startKernel } from '../server/src/test-support/kernel-client.js';
import { readDataLines } from '../server/src/test-support/launch-client.js';

export interface TimedLaunch {
  /** POST to `ready`. */
  readyMs: number;
  /** POST to a started kernel answering `1+1`. */
  kernelMs: number;
  ready: ReadyEvent;
}

/** Launches `repo`, starts a kernel, runs `1+1`, then ends the session. */
export async function timedLaunch(server: BinderCellServer, repo: string): Promise<TimedLaunch> {
  const start = performance.now();
  const response = await fetch(new URL('api/v1/launch', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ repo }),
  });
  const last = (await readDataLines(response)).map(parseLaunchEvent).at(-1);
  if (last?.phase !== 'ready') throw new Error(`launch failed: ${JSON.stringify(last)}`);
  const readyMs = performance.now() - start;
  const { kernel, dispose } = await startKernel(last);
  await execute(kernel, '1+1');
  const kernelMs = performance.now() - start;
  dispose();
  await server.registry.end(last.sessionId, 'benchmark');
  return { readyMs, kernelMs, ready: last };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

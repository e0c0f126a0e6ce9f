import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { KernelManager, ServerConnection } from '@jupyterlab/services';
import WebSocket from 'ws';
import { execute, startKernel } from './kernel-client.js';
import { launchReady } from './launch-client.js';

/** A session whose kernel was given a variable, to look for after a server restart. */
export interface KeptSession {
  ready: ReadyEvent;
  kernelId: string;
  /** What `x` was set to in its kernel. */
  value: number;
}

/** Launches `count` sessions of `repo` (a spec), setting `x` to a number of its own in a kernel of each. */
export async function sessionsHoldingVariables(
  base: URL,
  repo: string,
  count: number,
): Promise<KeptSession[]> {
  const sessions: KeptSession[] = [];
  for (let index = 0; index < count; index += 1) {
    const ready = await launchReady(base, { repo });
    const { kernel, dispose } = await startKernel(ready);
    const value = 1000 + index;
    try {
      const set = await execute(kernel, `x = ${value}`);
      if (set.reply.content.status !== 'ok') throw new Error(`x = ${value} failed in a session`);
      sessions.push({ ready, kernelId: kernel.id, value });
    } finally {
      dispose();
    }
  }
  return sessions;
}

/**
 * What `x` holds now in each session's kernel, reached through the server's proxy with
 * the token the session's launch gave (a restarted server must still take it).
 */
export async function variablesOf(sessions: readonly KeptSession[]): Promise<string[]> {
  const values: string[] = [];
  for (const { ready, kernelId } of sessions) {
    const manager = new KernelManager({
      serverSettings: ServerConnection.makeSettings({
        baseUrl: ready.url,
        wsUrl: ready.wsUrl,
        token: ready.token,
        appendToken: true,
        WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      }),
    });
    const kernel = manager.connectTo({ model: { id: kernelId, name: ready.kernel } });
    try {
      values.push((await execute(kernel, 'print(x)')).stdout.trim());
    } finally {
      kernel.dispose();
      manager.dispose();
    }
  }
  return values;
}

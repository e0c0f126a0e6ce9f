import { setTimeout as sleep } from 'node:timers/promises';
import { startFailed } from './backend-error.js';

/** Where a session's kernel server answers, and the internal token it takes. */
export interface KernelServerAddress {
  /** Base URL with a trailing slash. */
  readonly url: string;
  readonly token: string;
}

/** How often a starting server is asked whether it answers yet. */
const POLL_MS = 25;

function get(server: KernelServerAddress, path: string, signal: AbortSignal): Promise<Response> {
  return fetch(new URL(path, server.url), {
    headers: { authorization: `token ${server.token}` },
    signal,
  });
}

/**
 * When the server's kernels last did something (epoch ms), from jupyter_server's
 * `api/status`; undefined when it does not answer (in 5 s) or cannot tell.
 */
export async function lastActivity(server: KernelServerAddress): Promise<number | undefined> {
  try {
    const response = await get(server, 'api/status', AbortSignal.timeout(5000));
    if (!response.ok) return undefined;
    const { last_activity: at } = (await response.json()) as { last_activity?: string };
    const parsed = at ? Date.parse(at) : NaN;
    return Number.isNaN(parsed) ? undefined : parsed;
  } catch {
    return undefined;
  }
}

/** The kernelspec names the server offers; throws BackendError (start) when it does not answer 200. */
export async function kernelspecNames(
  server: KernelServerAddress,
  signal: AbortSignal,
): Promise<string[]> {
  const response = await get(server, 'api/kernelspecs', signal);
  if (!response.ok) {
    throw startFailed(`the kernel server answered ${response.status} for kernelspecs`);
  }
  const { kernelspecs } = (await response.json()) as { kernelspecs: Record<string, unknown> };
  return Object.keys(kernelspecs);
}

/**
 * Resolves once `api/status` answers 200. Rejects with "exited while starting" when
 * `exited` settles first, and with the signal's reason when it aborts.
 */
export async function untilAnswering(
  server: KernelServerAddress,
  exited: Promise<unknown>,
  signal: AbortSignal,
): Promise<void> {
  // A request to the address of a container that has exited may hang until a network
  // timeout: the exit cuts it short.
  const gone = new AbortController();
  void exited.then(() => gone.abort(new Error('exited while starting')));
  const waiting = AbortSignal.any([signal, gone.signal]);
  while (!waiting.aborted) {
    const response = await get(server, 'api/status', waiting).catch(() => undefined);
    if (response?.ok) return;
    await sleep(POLL_MS, undefined, { signal: waiting }).catch(() => undefined);
  }
  throw (gone.signal.aborted ? gone.signal.reason : signal.reason) as Error;
}

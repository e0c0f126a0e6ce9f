import { executeServerCommand } from '@web/test-runner-commands';

declare global {
  interface Window {
    BINDER_TEST_SERVER?: string;
  }
}

/** The real binder-cell server the test runner started (see binder-server-plugin.js). */
export function testServer(): string {
  const url = window.BINDER_TEST_SERVER;
  if (!url) throw new Error('the binder-cell test server is not running');
  return url;
}

export function endAllSessions(): Promise<unknown> {
  return executeServerCommand('binder:end-sessions');
}

export async function sessionCount(): Promise<number> {
  return executeServerCommand<number, undefined>('binder:session-count');
}

/** Where the test server keeps its data (sessions, environments) and the quickstart repository. */
export function serverPaths(): Promise<{ dataDir: string; quickstartDir: string }> {
  return executeServerCommand<{ dataDir: string; quickstartDir: string }, undefined>(
    'binder:paths',
  );
}

/** A URL on 127.0.0.1 where nothing listens. */
export async function closedPort(): Promise<string> {
  return executeServerCommand<string, undefined>('binder:closed-port');
}

/** A server answering `/health` with `health` and launches with `launch`. */
export async function statusServer(statuses: { health: number; launch: number }): Promise<string> {
  return executeServerCommand<string, typeof statuses>('binder:status-server', statuses);
}

/** A plain Jupyter server (needs a running `local/<repo>` session for its environment). */
export async function jupyterServer(repo = 'quickstart'): Promise<{ url: string; token: string }> {
  return executeServerCommand<{ url: string; token: string }, { repo: string }>(
    'binder:jupyter-server',
    { repo },
  );
}

/** Polls `check` until it returns a value other than undefined, null or false. */
export async function waitFor<T>(
  check: () => T | undefined | null | false,
  what: string,
  timeoutMs = 120_000,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A proxy to the test server that breaks the first launch stream after `cutAfter` events. */
export async function cuttingProxy(cutAfter: number): Promise<string> {
  return executeServerCommand<string, { cutAfter: number }>('binder:cutting-proxy', { cutAfter });
}

export interface CuttingProxyStats {
  /** Launch requests it saw (`/api/v1/launch` and `/build/`), first and resumed. */
  launches: number;
  /** Those that sent a `Last-Event-ID`. */
  resumed: number;
  /** Streams it broke. */
  cut: number;
}

export async function cuttingProxyStats(proxy: string): Promise<CuttingProxyStats> {
  return executeServerCommand<CuttingProxyStats, string>('binder:cutting-proxy-stats', proxy);
}

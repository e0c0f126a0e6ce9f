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

/** Polls `check` until it returns a value other than undefined/false. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  what: string,
  timeoutMs = 120_000,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

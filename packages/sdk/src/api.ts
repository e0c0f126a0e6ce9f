import type { BinderCell } from './components/binder-cell/binder-cell.component.js';
import { pageSessions } from './session/session-registry.js';

export interface Scope {
  /** Only cells and sessions of this group (`session` attribute); all of them by default. */
  session?: string;
}

function cells({ session }: Scope): BinderCell[] {
  return [...document.querySelectorAll('binder-cell')].filter(
    (cell) =>
      !cell.setup && (session === undefined || (cell.getAttribute('session') ?? '') === session),
  );
}

/** Runs every cell (setup cells excepted), in page order; each session runs its cells in order. */
export async function runAll(scope: Scope = {}): Promise<void> {
  // Runs start together; each waits for its session, then sends its code in call order.
  await Promise.all(cells(scope).map((cell) => cell.run()));
}

/**
 * Restarts every kernel (then its setup cells); sessions that are gone are launched anew.
 * Resolves once each has restarted or failed: a failure shows in its own cells and does
 * not hold up the other sessions.
 */
export async function restart(scope: Scope = {}): Promise<void> {
  await Promise.allSettled(pageSessions(scope.session).map((session) => session.restart()));
}

/** Restarts first, then runs every cell in order (Thebe's "restart and run all" never restarted). */
export async function restartAndRunAll(scope: Scope = {}): Promise<void> {
  await restart(scope);
  await runAll(scope);
}

export async function interrupt(scope: Scope = {}): Promise<void> {
  await Promise.all(pageSessions(scope.session).map((session) => session.interrupt()));
}

/** Launches the sessions now instead of on the first Run. */
export async function activate(scope: Scope = {}): Promise<void> {
  await Promise.all(
    pageSessions(scope.session).map((session) => session.connect().catch(() => undefined)),
  );
}

import type { INotebookContent } from '@jupyterlab/nbformat';
import type { BinderCell } from './components/binder-cell/binder-cell.component.js';
import { pageSessions } from './session/session-registry.js';

export interface Scope {
  /** Only cells and sessions of this group (`session` attribute); all of them by default. */
  session?: string;
}

function cells({ session }: Scope, withSetup = false): BinderCell[] {
  return [...document.querySelectorAll('binder-cell')].filter(
    (cell) =>
      (withSetup || !cell.setup) &&
      (session === undefined || (cell.getAttribute('session') ?? '') === session),
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

/**
 * The page's cells (setup cells included) as an nbformat 4.5 notebook, with the outputs
 * they show now and their kernel's `kernelspec` and `language_info`. Rejects when the
 * cells in scope run on more than one kernel: pass `{ session }` to take one group.
 */
export async function notebook(scope: Scope = {}): Promise<INotebookContent> {
  const { pageNotebook } = await import('./notebook/page-notebook.js');
  return pageNotebook(cells(scope, true));
}

/**
 * Downloads {@link notebook} as `<page name>.ipynb` (`<page name>-<session>.ipynb` for a
 * group), or as `filename`.
 */
export async function downloadNotebook(scope: Scope & { filename?: string } = {}): Promise<void> {
  const { pageNotebook, saveNotebook, notebookFilename } =
    await import('./notebook/page-notebook.js');
  const content = await pageNotebook(cells(scope, true));
  saveNotebook(content, scope.filename ?? notebookFilename(location.pathname, scope.session));
}

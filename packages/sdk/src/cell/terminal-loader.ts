import type * as TerminalModule from './terminal.js';

type Terminal = typeof TerminalModule;

let loaded: Terminal | undefined;

/** Loads the stream and ANSI code (terminal.ts); cells wait for it before they first run. */
export async function loadTerminal(): Promise<Terminal> {
  loaded ??= await import('./terminal.js');
  return loaded;
}

/**
 * The stream and ANSI code, once loaded. Outputs come only from runs, and every run
 * waits for `loadTerminal` first.
 * @throws Error when called before `loadTerminal` resolved.
 */
export function terminal(): Terminal {
  if (!loaded) throw new Error('binder-cell: outputs before the terminal code loaded');
  return loaded;
}

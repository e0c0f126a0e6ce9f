import type * as TerminalModule from './terminal.js';

type Terminal = typeof TerminalModule;

let loaded: Terminal | undefined;
let loading: Promise<Terminal> | undefined;

/**
 * Loads the stream and ANSI code (terminal.ts); cells wait for it before they run. Every
 * caller waits for the same promise, so cells that wait together go on in the order they
 * asked: the order their code reaches the kernel.
 */
export function loadTerminal(): Promise<Terminal> {
  loading ??= import('./terminal.js').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
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

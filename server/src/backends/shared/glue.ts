import { fileURLToPath } from 'node:url';

/**
 * The module every session's jupyter_server runs from (fast start, TCP_NODELAY, path
 * rewriting, parent watchdog): server/python/binder_cell_jupyter.py.
 */
export const JUPYTER_GLUE = fileURLToPath(
  new URL('../../../python/binder_cell_jupyter.py', import.meta.url),
);

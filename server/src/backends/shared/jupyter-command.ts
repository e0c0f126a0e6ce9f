import { randomBytes } from 'node:crypto';

export interface JupyterArgsOptions {
  ip: string;
  port: number;
  /** Folder the session starts in; the process's working directory when absent. */
  rootDir?: string;
  allowRoot: boolean;
}

/**
 * The command that starts a session's kernel-only jupyter_server with `python`: the session
 * glue run by its path (`glue`, server/python/binder_cell_jupyter.py or its copy in an image),
 * then its options. By path and not with `-m`: `-m` puts the working directory (the
 * repository) first on the server's sys.path, and a repository's own `yaml.py` or
 * `notebook.py` would then replace modules the server imports. Kernels still start in the
 * repository and import its modules.
 */
export function jupyterServerCommand(
  python: string,
  glue: string,
  options: JupyterArgsOptions,
): [python: string, ...args: string[]] {
  return [python, glue, ...jupyterServerArgs(options)];
}

/** Command-line options for a kernel-only jupyter_server. */
function jupyterServerArgs(options: JupyterArgsOptions): string[] {
  const settings: Record<string, string> = {
    'ServerApp.ip': options.ip,
    'ServerApp.port': String(options.port),
    'ServerApp.port_retries': '0',
    'ServerApp.open_browser': 'False',
    ...(options.rootDir ? { 'ServerApp.root_dir': options.rootDir } : {}),
    // Origins are checked by the launch API; this server is reachable only through it.
    'ServerApp.allow_origin': '*',
    'ServerApp.terminals_enabled': 'False',
    'ServerApp.jpserver_extensions': 'binder_cell_jupyter=True',
    'ServerApp.kernel_websocket_connection_class': 'binder_cell_jupyter.NoDelayChannelsConnection',
    'ServerApp.log_level': 'WARN',
    ...(options.allowRoot ? { 'ServerApp.allow_root': 'True' } : {}),
  };
  return Object.entries(settings).map(([key, value]) => `--${key}=${value}`);
}

/** A kernel server's own token: it stays inside the launch API, which swaps it for the session's. */
export function internalToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Command-line options for a kernel-only jupyter_server bound to loopback on a free port. */
export function jupyterServerArgs(rootDir: string): string[] {
  const options: Record<string, string> = {
    'ServerApp.ip': '127.0.0.1',
    'ServerApp.port': '0',
    'ServerApp.port_retries': '0',
    'ServerApp.open_browser': 'False',
    'ServerApp.root_dir': rootDir,
    // Origins are checked by the launch API; this server is reachable only through it.
    'ServerApp.allow_origin': '*',
    'ServerApp.terminals_enabled': 'False',
    'ServerApp.jpserver_extensions': 'binder_cell_jupyter=True',
    'ServerApp.kernel_websocket_connection_class': 'binder_cell_jupyter.NoDelayChannelsConnection',
    'ServerApp.log_level': 'WARN',
  };
  if (process.getuid?.() === 0) options['ServerApp.allow_root'] = 'True';
  return Object.entries(options).map(([key, value]) => `--${key}=${value}`);
}

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/launch-protocol', 'server', 'docs-site', 'test', 'deploy'],
    // Integration and end-to-end tests share one cache of environments; builds in it must not race.
    fileParallelism: false,
    // @jupyterlab/services announces every kernel WebSocket it opens with console.debug.
    onConsoleLog: (log) => !log.startsWith('Starting WebSocket:'),
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The docker backend's tests: `npm run test:node` runs them (and the deployment's, which
 * build images) beside the rest, so they keep checkouts in a data folder of their own.
 */
const DOCKER_TESTS = [
  'src/backends/docker/**/*.integration.test.ts',
  'src/environment/*.docker.integration.test.ts',
  'src/admission/resources.integration.test.ts',
];

const SERVER = {
  root: './server',
  test: {
    // Includes the real-cluster suites (*.cluster.test.ts): without KUBECONFIG they print
    // `skipped: no cluster` and show as skipped.
    include: ['src/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
};

export default defineConfig({
  test: {
    projects: [
      'packages/launch-protocol',
      'docs-site',
      'test',
      'deploy',
      { ...SERVER, test: { ...SERVER.test, name: 'server', exclude: DOCKER_TESTS } },
      {
        ...SERVER,
        test: {
          ...SERVER.test,
          name: 'server-docker',
          include: DOCKER_TESTS,
          env: {
            BINDER_CELL_TEST_DATA_DIR: fileURLToPath(
              new URL('.cache/test-data-docker', import.meta.url),
            ),
          },
        },
      },
    ],
    // Integration and end-to-end tests share one cache of environments; builds in it must not race.
    fileParallelism: false,
    // @jupyterlab/services announces every kernel WebSocket it opens with console.debug.
    onConsoleLog: (log) => !log.startsWith('Starting WebSocket:'),
  },
});

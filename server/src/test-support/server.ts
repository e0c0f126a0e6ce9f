import { fileURLToPath } from 'node:url';
import { parseConfig } from '../config.js';
import type { ConfigInput } from '../config.js';
import { createLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import { startServer } from '../server.js';
import type { BinderCellServer } from '../server.js';

/**
 * Environments and checkouts shared by every test run, so each environment is built once;
 * `BINDER_CELL_TEST_DATA_DIR` gives tests that run beside others a folder of their own.
 */
export const TEST_DATA_DIR =
  process.env.BINDER_CELL_TEST_DATA_DIR ??
  fileURLToPath(new URL('../../../.cache/test-data', import.meta.url));

/**
 * A real binder-cell server on a free loopback port with the local backend, logging to
 * `logger` when given.
 */
export function startTestServer(
  config: ConfigInput = {},
  logger: Logger = createLogger(process.env.BINDER_CELL_TEST_LOG ?? 'silent'),
): Promise<BinderCellServer> {
  return startServer({
    config: parseConfig({
      port: 0,
      dataDir: TEST_DATA_DIR,
      logLevel: process.env.BINDER_CELL_TEST_LOG ?? 'silent',
      ...config,
      repos: { allowFileUrls: true, ...config.repos },
      // Test git servers listen on loopback, which `git/` specs may not reach by default.
      admission: { allowPrivateGitHosts: ['127.0.0.1'], ...config.admission },
      // Sessions end with a test's server unless the test is about keeping them.
      local: { keepSessions: false, ...config.local },
    }),
    logger,
  });
}

/** Ends a test server's sessions and stops it; does nothing for one that never started. */
export async function stopTestServer(server: BinderCellServer | undefined): Promise<void> {
  await server?.registry.endAll('test finished');
  await server?.close();
}

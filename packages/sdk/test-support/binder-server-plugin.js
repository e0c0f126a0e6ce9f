import { fileURLToPath } from 'node:url';
import { createLogger, parseConfig, startServer } from '@binder-cell/server';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts a real binder-cell server (local backend) for the browser tests and tells
 * the page where it is (`window.BINDER_TEST_SERVER`). Tests can end every session with
 * the `binder:end-sessions` command to see how cells cope with a lost session.
 */
export function binderServerPlugin() {
  let server;
  return {
    name: 'binder-cell-server',
    async serverStart() {
      server = await startServer({
        config: parseConfig(
          {
            port: 0,
            dataDir: `${repoRoot}.cache/test-data`,
            allowOrigins: ['*'],
            logLevel: process.env.BINDER_CELL_TEST_LOG ?? 'silent',
            repos: {
              local: {
                quickstart: `${repoRoot}examples/repos/quickstart`,
                broken: `${repoRoot}packages/sdk/test-support/broken-repo`,
              },
            },
          },
          repoRoot,
        ),
        logger: createLogger(process.env.BINDER_CELL_TEST_LOG ?? 'silent'),
      });
    },
    async serverStop() {
      await server?.close();
    },
    transform(context) {
      if (context.response.is('html')) {
        const script = `<script>window.BINDER_TEST_SERVER = ${JSON.stringify(server.url.href)};</script>`;
        return { body: context.body.replace('<head>', `<head>${script}`) };
      }
      return undefined;
    },
    async executeCommand({ command }) {
      if (command === 'binder:end-sessions') {
        await server.registry.endAll('ended by a test');
        return true;
      }
      if (command === 'binder:session-count') return server.registry.size;
      return undefined;
    },
  };
}

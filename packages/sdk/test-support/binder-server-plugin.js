import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createLogger, parseConfig, startServer } from '@binder-cell/server';
import { closedPortUrl, startJupyterServer, startStatusServer } from './extra-servers.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts a real binder-cell server (local backend) for the browser tests and tells
 * the page where it is (`window.BINDER_TEST_SERVER`). Tests can end every session with
 * the `binder:end-sessions` command to see how cells cope with a lost session, and ask
 * for other servers: `binder:closed-port` (nothing listens), `binder:status-server`
 * (answers `/health` and launches with the given statuses) and `binder:jupyter-server`
 * (a plain Jupyter server from the environment of a running `local/<repo>` session,
 * quickstart unless the payload names another).
 */
export function binderServerPlugin() {
  let server;
  const extraServers = [];
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
                plots: `${repoRoot}examples/repos/plots`,
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
      await Promise.all(extraServers.map((extra) => extra.close()));
      await server?.close();
    },
    transform(context) {
      if (context.response.is('html')) {
        const script = `<script>window.BINDER_TEST_SERVER = ${JSON.stringify(server.url.href)};</script>`;
        return { body: context.body.replace('<head>', `<head>${script}`) };
      }
      return undefined;
    },
    async executeCommand({ command, payload }) {
      if (command === 'binder:end-sessions') {
        await server.registry.endAll('ended by a test');
        return true;
      }
      if (command === 'binder:session-count') return server.registry.size;
      if (command === 'binder:closed-port') return closedPortUrl();
      if (command === 'binder:status-server') {
        const extra = await startStatusServer(payload);
        extraServers.push(extra);
        return extra.url;
      }
      if (command === 'binder:jupyter-server') {
        const name = payload?.repo ?? 'quickstart';
        const session = server.registry.list().find((s) => s.repo.startsWith(`local/${name}`));
        if (!session) throw new Error(`start a local/${name} session first: its venv is used`);
        const extra = await startJupyterServer(
          join(session.image.id, 'bin', 'python'),
          `${repoRoot}examples/repos/${name}`,
        );
        extraServers.push(extra);
        return { url: extra.url, token: extra.token };
      }
      return undefined;
    },
  };
}

import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, parseConfig, startServer } from '@binder-cell/server';
import {
  closedPortUrl,
  startCuttingProxy,
  startJupyterServer,
  startStatusServer,
} from './extra-servers.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = process.env.BINDER_CELL_TEST_DATA_DIR ?? `${repoRoot}.cache/test-data`;
const quickstartDir = `${repoRoot}examples/repos/quickstart`;

/**
 * Starts a real binder-cell server (local backend) for the browser tests and tells
 * the page where it is (`window.BINDER_TEST_SERVER`). `local/cold` is a repository whose
 * environment no earlier run built, for tests of a launch that really builds. Tests can end every session with
 * the `binder:end-sessions` command to see how cells cope with a lost session, and ask
 * for other servers: `binder:closed-port` (nothing listens), `binder:status-server`
 * (answers `/health` and launches with the given statuses) and `binder:jupyter-server`
 * (a plain Jupyter server from the environment of a running `local/<repo>` session,
 * quickstart unless the payload names another), and `binder:cutting-proxy` (a proxy to this server that breaks the first launch stream after
 * `cutAfter` events; `binder:cutting-proxy-stats` tells what it saw), and learn where the
 * server keeps its data and the quickstart repository (`binder:paths`), which readers must
 * never see.
 */
export function binderServerPlugin() {
  let server;
  let coldRepo;
  const extraServers = [];
  const cuttingProxies = new Map();
  const stopping = [];
  return {
    name: 'binder-cell-server',
    async serverStart() {
      coldRepo = await mkdtemp(join(tmpdir(), 'binder-cell-cold-'));
      // A requirements file no earlier run had: this environment is built from scratch.
      await writeFile(join(coldRepo, 'requirements.txt'), `pandas  # cold build ${randomUUID()}\n`);
      server = await startServer({
        config: parseConfig(
          {
            port: 0,
            dataDir,
            allowOrigins: ['*'],
            // Sessions end with the test server.
            local: { keepSessions: false },
            // One server hosts every browser test's sessions; idle ones are culled only after
            // the idle timeout, so the default quota (32) would refuse the later tests' launches.
            sessions: { maxSessions: 500 },
            logLevel: process.env.BINDER_CELL_TEST_LOG ?? 'silent',
            repos: {
              local: {
                quickstart: quickstartDir,
                plots: `${repoRoot}examples/repos/plots`,
                broken: `${repoRoot}packages/sdk/test-support/broken-repo`,
                cold: coldRepo,
                streams: `${repoRoot}packages/sdk/test-support/streams-repo`,
              },
            },
          },
          repoRoot,
        ),
        logger: createLogger(process.env.BINDER_CELL_TEST_LOG ?? 'silent'),
      });
    },
    async serverStop() {
      await Promise.all([...stopping, ...extraServers.map((extra) => extra.close())]);
      await server?.close();
      if (coldRepo) await rm(coldRepo, { recursive: true, force: true });
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
        // Sessions end at once; their processes stop in the background, which with every
        // earlier test's sessions alive can take longer than a command may (20 s).
        stopping.push(server.registry.endAll('ended by a test'));
        return true;
      }
      if (command === 'binder:session-count') return server.registry.size;
      if (command === 'binder:closed-port') return closedPortUrl();
      if (command === 'binder:paths') return { dataDir, quickstartDir };
      if (command === 'binder:status-server') {
        const extra = await startStatusServer(payload);
        extraServers.push(extra);
        return extra.url;
      }
      if (command === 'binder:cutting-proxy') {
        const proxy = await startCuttingProxy(server.url.href, payload);
        extraServers.push(proxy);
        cuttingProxies.set(proxy.url, proxy);
        return proxy.url;
      }
      if (command === 'binder:cutting-proxy-stats') return cuttingProxies.get(payload).stats();
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

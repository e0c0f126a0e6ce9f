import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ErrorRequestHandler } from 'express';
import { createBackend } from './backend.js';
import { BuildQueue } from './build/build-queue.js';
import type { Config } from './config.js';
import { binderHubRoute } from './http/binderhub-route.js';
import { healthRoute } from './http/health-route.js';
import { LaunchRecords } from './http/launch-records.js';
import { launchRoute } from './http/launch-route.js';
import { DEFAULT_ALLOWED_ORIGINS, OriginPolicy } from './http/origins.js';
import { SessionProxy } from './http/proxy.js';
import { sessionsRoute } from './http/sessions-route.js';
import { staticRoutes } from './http/static-routes.js';
import type { Logger } from './logger.js';
import { createRepoProviders } from './repo/index.js';
import { ClientLimiter } from './sessions/client-limiter.js';
import { startCuller } from './sessions/culler.js';
import { Launcher } from './sessions/launcher.js';
import { SessionRegistry } from './sessions/registry.js';

export interface ServerOptions {
  config: Config;
  logger: Logger;
  /** Folder of the built SDK, served at /sdk/. */
  sdkDir?: string;
}

export interface BinderCellServer {
  readonly url: URL;
  readonly config: Config;
  readonly registry: SessionRegistry;
  readonly httpServer: Server;
  /**
   * Stops accepting requests. Sessions of backends whose sessions outlive the server
   * (containers) keep running for the next server to adopt; the others end.
   */
  close(): Promise<void>;
}

export async function startServer({
  config,
  logger,
  sdkDir,
}: ServerOptions): Promise<BinderCellServer> {
  const backend = createBackend(config, logger);
  const registry = new SessionRegistry(
    {
      idleMs: config.sessions.idleTimeoutSeconds * 1000,
      maxAgeMs: config.sessions.maxAgeSeconds * 1000,
      maxSessions: config.sessions.maxSessions,
    },
    logger,
  );
  registry.adopt(await backend.spawner.adopt(Date.now()));
  const launcher = new Launcher({
    providers: createRepoProviders(config),
    builder: backend.builder,
    builds: new BuildQueue({
      concurrency: config.build.concurrency,
      timeoutMs: config.build.timeoutSeconds * 1000,
    }),
    images: backend.images,
    spawner: backend.spawner,
    registry,
    clients: new ClientLimiter(config.launch.maxPendingPerClient),
    defaultKernel: config.sessions.defaultKernel,
    logger,
  });
  const origins = new OriginPolicy(
    config.allowOrigins.length > 0 ? config.allowOrigins : DEFAULT_ALLOWED_ORIGINS,
    config.trustProxy,
  );
  const urls = { publicUrl: config.publicUrl, trustProxy: config.trustProxy };
  const keepaliveMs = config.launch.keepaliveSeconds * 1000;
  const proxy = new SessionProxy(registry, origins, logger);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(origins.cors());
  app.use(proxy.http);
  app.use(healthRoute(registry, backend.name, backend.builder.version));
  app.use(
    launchRoute({
      launcher,
      origins,
      keepaliveMs,
      urls,
      records: new LaunchRecords(config.launch.replaySeconds * 1000),
      resumeMs: config.launch.resumeSeconds * 1000,
      endSession: (sessionId) => void registry.end(sessionId, 'no client took the session'),
    }),
  );
  app.use(
    binderHubRoute({
      launcher,
      origins,
      records: new LaunchRecords(config.launch.replaySeconds * 1000),
      keepaliveMs,
      holdMs: config.launch.binderHoldSeconds * 1000,
      urls,
    }),
  );
  app.use(sessionsRoute(registry, urls));
  app.use(staticRoutes({ sdkDir, examplesDir: config.examplesDir }));
  app.use((_req, res) => {
    res.status(404).json({ message: 'not found' });
  });
  const errors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    logger.error({ err: error }, 'request failed');
    if (!res.headersSent) res.status(500).json({ message: 'internal server error' });
  };
  app.use(errors);

  const httpServer = createServer({ noDelay: true }, app);
  httpServer.on('upgrade', (req, socket, head) => {
    if (!proxy.upgrade(req, socket, head)) socket.destroy();
  });
  const stopCuller = startCuller(registry, config.sessions.cullIntervalSeconds * 1000);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = new URL(`http://${host}:${address.port}/`);
  logger.info(
    { url: url.href, backend: backend.name, dataDir: config.dataDir },
    'binder-cell server listening',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    config,
    registry,
    httpServer,
    close: () => {
      closing ??= (async () => {
        stopCuller();
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeAllConnections();
        if (backend.spawner.persistent) registry.forgetAll();
        else await registry.endAll('server stopping');
        proxy.close();
        await closed;
      })();
      return closing;
    },
  };
}

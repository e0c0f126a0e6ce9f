import { createServer } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Server } from 'node:http';
import express from 'express';
import type { ErrorRequestHandler, Express } from 'express';
import { LaunchGate } from './admission/launch-gate.js';
import { RepoAdmission } from './admission/repo-admission.js';
import { ResourceGrants } from './admission/resources.js';
import type { Backend } from './backends/types.js';
import type { Config } from './config.js';
import { binderHubRoute } from './http/binderhub-route.js';
import { healthRoute } from './http/health-route.js';
import { LaunchRecords } from './http/launch-records.js';
import { launchRoute } from './http/launch-route.js';
import { DEFAULT_ALLOWED_ORIGINS, OriginPolicy } from './http/origins.js';
import { SessionProxy } from './http/proxy.js';
import { sessionsRoute } from './http/sessions-route.js';
import { staticRoutes } from './http/static-routes.js';
import { BuildQueue } from './launch/build-queue.js';
import { ClientLimiter } from './launch/client-limiter.js';
import { Launcher } from './launch/launcher.js';
import { LaunchShutdown } from './launch/shutdown.js';
import type { Logger } from './logger.js';
import { ServerMetrics } from './metrics/metrics.js';
import { metricsRoute } from './metrics/metrics-route.js';
import { AssignmentRecords, EngineAssignments } from './pools/assignments.js';
import { WarmPools } from './pools/warm-pools.js';
import type { RepoProviders } from './repo/index.js';
import { sessionLookup } from './sessions/adoption.js';
import { startCuller } from './sessions/culler.js';
import { SessionRegistry } from './sessions/registry.js';

/** How long (ms) shutdown waits for launches, and then builds, to wind up. */
const SHUTDOWN_WAIT_MS = 10_000;

/** The parts an app is made of; startServer makes the real ones, tests pass fakes. */
export interface AppDeps {
  config: Config;
  providers: RepoProviders;
  backend: Backend;
  logger: Logger;
  /** Folder of the built SDK, served at /sdk/. */
  sdkDir?: string;
  /** Where the app counts what it does (made afresh when not given); served at /metrics. */
  metrics?: ServerMetrics;
}

/** The launch API, not yet listening. */
export interface App {
  /** Serves every route and the proxy for HTTP requests to sessions, and WebSocket upgrades. */
  readonly httpServer: Server;
  readonly registry: SessionRegistry;
  /** This app's metrics, for parts outside it to feed (warm pools' sizes). */
  readonly metrics: ServerMetrics;
  /** The warm pools; adoption hands them the pool sessions of an earlier run. */
  readonly pools: WarmPools;
  /** Starts filling the warm pools: once, after adoption. */
  startPools(): void;
  /**
   * Refuses new launches (503), fails those under way (503: their event streams end with
   * `failed`) and stops builds; settles when they have wound up (at most ~20 s).
   */
  stopLaunches(): Promise<void>;
  /**
   * Stops launches (as stopLaunches does), then stops the culler and the proxy, and ends
   * the sessions (or, when the backend's sessions outlive the server, stops tracking
   * them). Closing the HTTP server and the backend is left to whoever made them.
   */
  close(): Promise<void>;
}

/** The composition root: wires the pipeline, the routes and the proxy from their parts. */
export function createApp(deps: AppDeps): App {
  const { config, providers, backend, logger } = deps;
  const metrics = deps.metrics ?? new ServerMetrics();
  const registry = new SessionRegistry(
    {
      idleMs: config.sessions.idleTimeoutSeconds * 1000,
      maxAgeMs: config.sessions.maxAgeSeconds * 1000,
      maxSessions: config.sessions.maxSessions,
    },
    logger,
    sessionLookup(backend),
  );
  metrics.countSessions(backend.name, () => registry.counted);
  const instanceSessions = backend.instanceSessions?.bind(backend);
  if (instanceSessions) metrics.countInstanceSessions(backend.name, instanceSessions);
  const pools = new WarmPools({
    pools: config.pools,
    defaultKernel: config.sessions.defaultKernel,
    providers,
    registry,
    assignments: backend.claims
      ? new EngineAssignments(backend.claims)
      : new AssignmentRecords(join(config.dataDir, 'pools', 'assigned')),
    logger,
  });
  metrics.countPoolSessions(() =>
    pools.status().map(({ repo, kernel, ready }) => ({ pool: repo, kernel, sessions: ready })),
  );
  const builds = new BuildQueue({
    concurrency: config.build.concurrency,
    timeoutMs: config.build.timeoutSeconds * 1000,
    maxQueued: config.admission.maxQueuedBuilds,
  });
  const shutdown = new LaunchShutdown();
  const launcher = new Launcher({
    providers,
    backend,
    builds,
    registry,
    clients: new ClientLimiter(config.launch.maxPendingPerClient),
    defaultKernel: config.sessions.defaultKernel,
    logger,
    admission: new RepoAdmission(config.admission, () =>
      registry.list().map((session) => session.repo),
    ),
    resources: new ResourceGrants(config.admission.resources),
    metrics,
    pools,
    shutdown,
  });
  const origins = new OriginPolicy(
    config.allowOrigins.length > 0 ? config.allowOrigins : DEFAULT_ALLOWED_ORIGINS,
    config.trustProxy,
  );
  const proxy = new SessionProxy(registry, origins, logger, metrics);
  const app = routes({ ...deps, metrics, registry, launcher, origins, proxy, shutdown, pools });

  const httpServer = createServer({ noDelay: true }, app);
  httpServer.on('upgrade', (req, socket, head) => {
    // Node hands over an upgraded socket with no error listener: a client resetting it
    // (after a refusal, or before the kernel server answers) would throw from the process.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      logger.debug({ code: error.code }, 'upgrade connection failed');
      socket.destroy();
    });
    if (!proxy.upgrade(req, socket, head)) socket.destroy();
  });
  const stopCuller = startCuller(registry, config.sessions.cullIntervalSeconds * 1000);

  let stoppingLaunches: Promise<void> | undefined;
  // Launches fail with 503 and their streams end; builds stop and clean up.
  const stopLaunches = () => {
    stoppingLaunches ??= (async () => {
      builds.close(new Error('the server is shutting down'));
      await shutdown.stop(SHUTDOWN_WAIT_MS);
      await Promise.race([builds.idle(), sleep(SHUTDOWN_WAIT_MS, undefined, { ref: false })]);
    })();
    return stoppingLaunches;
  };
  let closing: Promise<void> | undefined;
  return {
    httpServer,
    registry,
    metrics,
    pools,
    startPools: () => pools.start((...args) => launcher.startUnassigned(...args)),
    stopLaunches,
    close: () => {
      closing ??= (async () => {
        await stopLaunches();
        stopCuller();
        await pools.close(backend.persistent);
        if (backend.persistent) registry.forgetAll();
        else await registry.endAll('server stopping');
        proxy.close();
      })();
      return closing;
    },
  };
}

interface RouteParts extends Omit<AppDeps, 'providers'> {
  metrics: ServerMetrics;
  registry: SessionRegistry;
  launcher: Launcher;
  origins: OriginPolicy;
  proxy: SessionProxy;
  shutdown: LaunchShutdown;
  pools: WarmPools;
}

/** The express app: CORS, the proxy's HTTP side, every route, and JSON 404s and 500s. */
function routes(parts: RouteParts): Express {
  const { config, backend, logger, sdkDir, metrics, registry, launcher, origins, proxy } = parts;
  const { shutdown, pools } = parts;
  const urls = { publicUrl: config.publicUrl, trustProxy: config.trustProxy };
  const keepaliveMs = config.launch.keepaliveSeconds * 1000;
  const gate = new LaunchGate(config.admission);
  const app = express();
  app.disable('x-powered-by');
  // One trusted hop: the client is the address the reverse proxy appended to
  // X-Forwarded-For, not the first entry, which the client itself may have written.
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.use(origins.cors());
  app.use(proxy.http);
  app.use(
    healthRoute(registry, backend, shutdown.signal, () =>
      pools.status().reduce((sum, pool) => sum + pool.ready, 0),
    ),
  );
  app.use(metricsRoute(metrics, config.metrics));
  app.use(
    launchRoute({
      launcher,
      gate,
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
      gate,
      origins,
      records: new LaunchRecords(config.launch.replaySeconds * 1000),
      keepaliveMs,
      holdMs: config.launch.binderHoldSeconds * 1000,
      urls,
    }),
  );
  app.use(sessionsRoute(registry, urls));
  app.use(staticRoutes({ sdkDir, examplesDir: config.examplesDir, docsDir: config.docsDir }));
  app.use((_req, res) => {
    res.status(404).json({ message: 'not found' });
  });
  const errors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    logger.error({ err: error }, 'request failed');
    if (!res.headersSent) res.status(500).json({ message: 'internal server error' });
  };
  app.use(errors);
  return app;
}

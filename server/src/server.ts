import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { createBackend } from './backends/index.js';
import { serverUrl } from './backends/shared/server-url.js';
import type { Config } from './config.js';
import { instanceIdOf } from './instance.js';
import type { Logger } from './logger.js';
import { requireGit } from './repo/git-version.js';
import { createRepoProviders } from './repo/index.js';
import { adoptSessions } from './sessions/adoption.js';
import type { SessionRegistry } from './sessions/registry.js';
import type { WarmPools } from './pools/warm-pools.js';

export interface ServerOptions {
  config: Config;
  logger: Logger;
  /** Folder of the built SDK, served at /sdk/. */
  sdkDir?: string;
}

export interface BinderCellServer {
  readonly url: URL;
  readonly config: Config;
  /** This server's instance id: its sessions carry it, and it adopts only those. */
  readonly instanceId: string;
  readonly registry: SessionRegistry;
  readonly pools: WarmPools;
  readonly httpServer: Server;
  /**
   * Refuses launches (503) and fails those under way, then stops accepting requests.
   * Sessions of backends whose sessions outlive the server (containers, local sessions
   * with `local.keepSessions`) keep running for the next server of this instance to
   * adopt; the others end.
   */
  close(): Promise<void>;
}

/**
 * Makes the real parts from the configuration (repository providers, the configured
 * backend), takes back this instance's sessions, and listens on `config.host:config.port`.
 * Throws when git is missing or older than 2.37 (see repo/git-version.ts).
 */
export async function startServer({
  config,
  logger,
  sdkDir,
}: ServerOptions): Promise<BinderCellServer> {
  await requireGit();
  const instanceId = config.instanceId ?? (await instanceIdOf(config.dataDir));
  const backend = createBackend({ config, logger, instanceId });
  const app = createApp({
    config,
    providers: createRepoProviders(config),
    backend,
    logger,
    ...(sdkDir !== undefined ? { sdkDir } : {}),
  });
  const { httpServer, registry, pools } = app;
  try {
    await adoptSessions(backend, registry, logger, Date.now(), app.pools);
    app.startPools();
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await app.close();
    backend.close();
    throw error;
  }
  const address = httpServer.address() as AddressInfo;
  const url = new URL(serverUrl(address.address, address.port));
  logger.info(
    { url: url.href, backend: backend.name, instanceId, dataDir: config.dataDir },
    'binder-cell server listening',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    config,
    instanceId,
    registry,
    pools,
    httpServer,
    close: () => {
      closing ??= (async () => {
        // Still listening meanwhile: launches are refused with 503, and those under way
        // get their `failed` event before connections are cut.
        await app.stopLaunches();
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeAllConnections();
        await app.close();
        backend.close();
        await closed;
      })();
      return closing;
    },
  };
}

import type { AddressInfo } from 'node:net';
import { createApp } from '../app.js';
import type { App } from '../app.js';
import { parseConfig } from '../config.js';
import type { ConfigInput } from '../config.js';
import { createLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import type { RepoProviders } from '../repo/index.js';
import { fakeBackend } from './fake-backend.js';
import type { FakeBackend } from './fake-backend.js';
import { fakeProviders } from './fake-providers.js';

export interface TestApp {
  /** Where it listens on loopback, with a trailing slash. */
  url: URL;
  app: App;
  backend: FakeBackend;
  close(): Promise<void>;
}

/**
 * The real app (routes, pipeline, proxy, registry) over fake parts, listening on a
 * free loopback port: no git, pip or Jupyter.
 */
export async function startTestApp(
  parts: {
    config?: ConfigInput;
    backend?: FakeBackend;
    providers?: RepoProviders;
    sdkDir?: string;
    /** Silent (or BINDER_CELL_TEST_LOG's level) when not given. */
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const backend = parts.backend ?? fakeBackend();
  const app = createApp({
    config: parseConfig({ port: 0, ...parts.config }),
    providers: parts.providers ?? fakeProviders(),
    backend,
    logger: parts.logger ?? createLogger(process.env.BINDER_CELL_TEST_LOG ?? 'silent'),
    ...(parts.sdkDir !== undefined ? { sdkDir: parts.sdkDir } : {}),
  });
  app.startPools();
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    app,
    backend,
    close: async () => {
      const closed = new Promise<void>((resolve) => app.httpServer.close(() => resolve()));
      app.httpServer.closeAllConnections();
      await app.close();
      await closed;
    },
  };
}

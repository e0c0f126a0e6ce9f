import { join } from 'node:path';
import { badRequest } from '../../errors.js';
import type { Backend, BackendContext } from '../types.js';
import { LocalProcessSpawner } from './process-spawner.js';
import { LocalVenvBuilder } from './venv-builder.js';

/**
 * The embedded default: environments are venvs under `<dataDir>/envs`, sessions are
 * jupyter_server processes that end with the server, so there is nothing to adopt.
 */
export function createLocalBackend({ config, logger }: BackendContext): Backend {
  const builder = new LocalVenvBuilder({
    envsDir: join(config.dataDir, 'envs'),
    python: config.local.python,
    pythonFallback: config.local.pythonFallback,
    unsupportedFiles: config.local.unsupportedFiles,
    pip: config.packages,
    logger,
  });
  const spawner = new LocalProcessSpawner({
    sessionsDir: join(config.dataDir, 'sessions'),
    cacheDir: join(config.dataDir, 'cache'),
    startTimeoutMs: config.sessions.startTimeoutSeconds * 1000,
    logger,
  });
  return {
    name: 'local',
    builderVersion: builder.version,
    persistent: false,
    plan: (source) => builder.plan(source),
    findImage: () => Promise.reject(badRequest('image launches need the docker backend')),
    spawn: (request) => spawner.spawn(request),
    listSessions: () => Promise.resolve([]),
    adopt: () => Promise.reject(new Error('the local backend has no sessions to adopt')),
    remove: () => Promise.resolve(),
    health: () => builder.health(),
    close: () => undefined,
  };
}

import { join } from 'node:path';
import { badRequest } from '../../errors.js';
import type { Backend, BackendContext } from '../types.js';
import { LocalProcessSpawner } from './process-spawner.js';
import { LocalVenvBuilder } from './venv-builder.js';

/**
 * The embedded default: environments are venvs under `<dataDir>/envs`, sessions are
 * jupyter_server processes with their folders under `<dataDir>/sessions`. With
 * `local.keepSessions` (the default) sessions outlive the server, recorded in state files
 * that a restarted server of the same instance adopts them from.
 */
export function createLocalBackend({ config, logger, instanceId }: BackendContext): Backend {
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
    instanceId,
    keepSessions: config.local.keepSessions,
  });
  return {
    name: 'local',
    builderVersion: builder.version,
    persistent: config.local.keepSessions,
    plan: (source) => builder.plan(source),
    findImage: () => Promise.reject(badRequest('image launches need the docker backend')),
    spawn: (request) => spawner.spawn(request),
    listSessions: () => spawner.list(),
    adopt: (listed) => spawner.adopt(listed),
    remove: (listed) => spawner.remove(listed),
    health: () => builder.health(),
    close: () => spawner.close(),
  };
}

import { join } from 'node:path';
import { LOCAL_BUILDER_VERSION, LocalVenvBuilder } from './build/local-venv.js';
import type { Builder } from './build/types.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { LocalProcessSpawner } from './spawn/local-process.js';
import type { Spawner } from './spawn/types.js';

export interface Backend {
  name: string;
  builderVersion: string;
  builder: Builder;
  spawner: Spawner;
}

/** The builder and spawner of the configured backend; routes never know which one runs. */
export function createBackend(config: Config, logger: Logger): Backend {
  switch (config.backend) {
    case 'local':
      return {
        name: 'local',
        builderVersion: LOCAL_BUILDER_VERSION,
        builder: new LocalVenvBuilder({
          envsDir: join(config.dataDir, 'envs'),
          python: config.local.python,
          pipIndexUrl: config.packages.pipIndexUrl,
          pipRetries: config.packages.pipRetries,
        }),
        spawner: new LocalProcessSpawner({
          sessionsDir: join(config.dataDir, 'sessions'),
          cacheDir: join(config.dataDir, 'cache'),
          startTimeoutMs: config.sessions.startTimeoutSeconds * 1000,
          logger,
        }),
      };
  }
}

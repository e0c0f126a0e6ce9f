import { dirname, join } from 'node:path';
import { badRequest } from './errors.js';
import { DockerBuilder } from './build/docker-builder.js';
import { JUPYTER_GLUE, LocalVenvBuilder } from './build/local-venv.js';
import type { Builder } from './build/types.js';
import type { Config } from './config.js';
import { createDocker } from './docker/client.js';
import { AllowedImages } from './docker/image-catalog.js';
import type { Logger } from './logger.js';
import type { ImageCatalog } from './sessions/launcher.js';
import { DockerSpawner } from './spawn/docker.js';
import { limitsResolver } from './spawn/docker-limits.js';
import { LocalProcessSpawner } from './spawn/local-process.js';
import type { Spawner } from './spawn/types.js';

export interface Backend {
  name: string;
  builder: Builder;
  spawner: Spawner;
  images: ImageCatalog;
}

/** The builder and spawner of the configured backend; routes never know which one runs. */
export function createBackend(config: Config, logger: Logger): Backend {
  switch (config.backend) {
    case 'local':
      return localBackend(config, logger);
    case 'docker':
      return dockerBackend(config, logger);
  }
}

function localBackend(config: Config, logger: Logger): Backend {
  return {
    name: 'local',
    builder: new LocalVenvBuilder({
      envsDir: join(config.dataDir, 'envs'),
      python: config.local.python,
      pipIndexUrl: config.packages.pipIndexUrl,
      pipExtraIndexUrls: config.packages.pipExtraIndexUrls,
      pipRetries: config.packages.pipRetries,
    }),
    spawner: new LocalProcessSpawner({
      sessionsDir: join(config.dataDir, 'sessions'),
      cacheDir: join(config.dataDir, 'cache'),
      startTimeoutMs: config.sessions.startTimeoutSeconds * 1000,
      logger,
    }),
    images: {
      find: () => Promise.reject(badRequest('image launches need the docker backend')),
    },
  };
}

function dockerBackend(config: Config, logger: Logger): Backend {
  const { docker: settings, packages } = config;
  const docker = createDocker(settings.socketPath);
  return {
    name: 'docker',
    builder: new DockerBuilder({
      docker,
      baseImage: settings.baseImage,
      imagePrefix: settings.imagePrefix,
      buildNetwork: settings.buildNetwork,
      glueFile: JUPYTER_GLUE,
      render: { debianSuite: settings.debianSuite, basePython: settings.basePython, packages },
    }),
    spawner: new DockerSpawner({
      docker,
      network: settings.network,
      glueDir: dirname(JUPYTER_GLUE),
      limitsFor: limitsResolver(settings.limits, settings.repoLimits),
      startTimeoutMs: config.sessions.startTimeoutSeconds * 1000,
      logger,
    }),
    images: new AllowedImages(docker, settings.allowedImages),
  };
}

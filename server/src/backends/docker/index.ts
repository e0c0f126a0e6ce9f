import { dirname } from 'node:path';
import { JUPYTER_GLUE } from '../shared/glue.js';
import type { Backend, BackendContext } from '../types.js';
import { createDocker, dockerReachable } from './client.js';
import { DockerSpawner } from './container-spawner.js';
import { DockerBuilder } from './image-builder.js';
import { AllowedImages } from './image-catalog.js';
import { limitsResolver } from './limits.js';

/**
 * Images built from buildpacks' Dockerfiles and one hardened container per session.
 * Containers outlive the server: they carry its instance id, and a restarted server
 * adopts its own.
 */
export function createDockerBackend({ config, instanceId }: BackendContext): Backend {
  const { docker: settings, packages } = config;
  const docker = createDocker(settings.socketPath);
  const builder = new DockerBuilder({
    docker,
    baseImage: settings.baseImage,
    imagePrefix: settings.imagePrefix,
    buildNetwork: settings.buildNetwork,
    glueFile: JUPYTER_GLUE,
    render: { debianSuite: settings.debianSuite, basePython: settings.basePython, packages },
  });
  const spawner = new DockerSpawner({
    docker,
    instanceId,
    network: settings.network,
    glueDir: dirname(JUPYTER_GLUE),
    limitsFor: limitsResolver(settings.limits, settings.repoLimits),
    startTimeoutMs: config.sessions.startTimeoutSeconds * 1000,
  });
  const images = new AllowedImages(docker, settings.allowedImages);
  return {
    name: 'docker',
    builderVersion: builder.version,
    persistent: true,
    enforcesResources: true,
    plan: (source) => builder.plan(source),
    findImage: (name) => images.find(name),
    spawn: (request) => spawner.spawn(request),
    listSessions: () => spawner.list(),
    adopt: (listed) => spawner.adopt(listed),
    remove: (listed) => spawner.remove(listed),
    health: async () =>
      (await dockerReachable(docker))
        ? { ok: true }
        : { ok: false, problem: 'the Docker engine does not answer' },
    close: () => spawner.close(),
  };
}

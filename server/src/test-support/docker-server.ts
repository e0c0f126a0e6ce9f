import { createDocker, dockerReachable, imageId } from '../backends/docker/client.js';
import type { ConfigInput } from '../config.js';
import type { BinderCellServer } from '../server.js';
import { serveLocalPackageIndexes } from './package-index.js';
import type { PackageIndexes } from './package-index.js';
import { startTestServer } from './server.js';

export const TEST_BASE_IMAGE = 'binder-cell-base:bookworm';

/**
 * A Dockerfile line installing Debian's own jupyter_server (1.23) and ipykernel on the base
 * image; test Dockerfiles that start with it share its layer in Docker's build cache.
 */
export const DEBIAN_JUPYTER_INSTALL =
  'RUN apt-get update -qq && apt-get install -y --no-install-recommends python3-jupyter-server python3-ipykernel && rm -rf /var/lib/apt/lists/*';

export const docker = createDocker(undefined);

/** Fails loudly when the Docker engine or the base image is missing (scripts/test provides both). */
export async function requireDocker(): Promise<void> {
  if (!(await dockerReachable(docker))) {
    throw new Error('the Docker engine is not reachable: scripts/test installs and starts it');
  }
  if (!(await imageId(docker, TEST_BASE_IMAGE))) {
    throw new Error(
      `the base image ${TEST_BASE_IMAGE} is missing: run binder-cell-server base-image`,
    );
  }
}

let indexes: Promise<PackageIndexes> | undefined;

/** The machine's pip indexes over HTTP, shared by every Docker test of a run. */
export function packageIndexes(): Promise<PackageIndexes> {
  indexes ??= serveLocalPackageIndexes();
  return indexes;
}

/**
 * A docker backend configuration for tests: the test base image, host networking for builds
 * and the local package indexes, over `config` (whose `docker` and `packages` entries win).
 */
export async function dockerTestConfig(config: ConfigInput = {}): Promise<ConfigInput> {
  await requireDocker();
  const [pipIndexUrl, ...pipExtraIndexUrls] = (await packageIndexes()).indexUrls;
  return {
    backend: 'docker',
    ...config,
    docker: {
      baseImage: TEST_BASE_IMAGE,
      buildNetwork: 'host',
      imagePrefix: 'binder-cell-test',
      ...config.docker,
    },
    packages: { ...(pipIndexUrl ? { pipIndexUrl, pipExtraIndexUrls } : {}), ...config.packages },
  };
}

/** A real server with the docker backend, building against the local package indexes. */
export async function startDockerTestServer(config: ConfigInput = {}): Promise<BinderCellServer> {
  return startTestServer(await dockerTestConfig(config));
}

import { DOCKER_BUILDER_VERSION } from '../backends/docker/image-builder.js';
import { formatRenderedBuild, renderBuild } from '../buildpacks/render.js';
import { CONFIG_USAGE, configFrom, parseCommandLine, singleTarget } from './options.js';
import { repoSource } from './repo-source.js';

export const DOCKERFILE_USAGE = `Usage: binder-cell-server dockerfile <folder or spec> [options]

Prints the Dockerfiles the docker backend would build for a repository (a folder,
or a spec such as gh/org/repo/main), without building anything.

${CONFIG_USAGE}`;

export async function dockerfile(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {});
  if (values.help) {
    process.stdout.write(`${DOCKERFILE_USAGE}\n`);
    return 0;
  }
  const target = singleTarget(positionals);
  const config = await configFrom(values);
  // Its output is the Dockerfiles alone: git's fetch log stays out of the terminal.
  const source = await repoSource(target, config, () => undefined);
  const { docker, packages } = config;
  const rendered = renderBuild(
    source.files,
    {
      builderVersion: DOCKER_BUILDER_VERSION,
      debianSuite: docker.debianSuite,
      basePython: docker.basePython,
      packages,
    },
    { repo: source.repo, ref: source.ref },
  );
  process.stdout.write(formatRenderedBuild(rendered));
  return 0;
}

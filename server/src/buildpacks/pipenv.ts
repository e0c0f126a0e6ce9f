import type { EnvironmentFile, RepoFiles } from '../environment/repo-files.js';
import { hasFile, repoPath } from '../environment/repo-files.js';
import {
  ENV_DIR,
  aptTxt,
  copyEnvironmentFiles,
  dockerfile,
  labels,
  pipInstall,
  run,
  environmentFilesBuild,
} from './parts.js';
import { pythonStack } from './pip.js';
import type { BuildPack, RenderContext, RenderSource, RenderedBuild } from './types.js';

/** Pipfile / Pipfile.lock: pipenv turns the (locked) Pipfile into requirements for pip. */
export class PipenvBuildPack implements BuildPack {
  readonly name = 'pipenv';

  detect(files: RepoFiles): boolean {
    return hasFile(files, 'Pipfile') || hasFile(files, 'Pipfile.lock');
  }

  render(files: RepoFiles, context: RenderContext, source: RenderSource): RenderedBuild {
    const names = (['Pipfile', 'Pipfile.lock'] as EnvironmentFile[]).filter((name) =>
      hasFile(files, name),
    );
    const locked = hasFile(files, 'Pipfile.lock');
    return environmentFilesBuild(files, context, source, {
      buildpack: this.name,
      environment: dockerfile(
        pythonStack(files, context),
        aptTxt(files),
        [
          copyEnvironmentFiles(names),
          run(
            pipInstall(context.packages, 'pipenv'),
            `cd ${ENV_DIR}`,
            ...(locked ? [] : ['pipenv lock']),
            `pipenv requirements --dev > ${ENV_DIR}/requirements.txt`,
            pipInstall(context.packages, `-r ${ENV_DIR}/requirements.txt`),
          ),
        ],
        labels(context),
      ),
      environmentFiles: names.map((name) => repoPath(files, name)),
      kernels: ['python3'],
    });
  }
}

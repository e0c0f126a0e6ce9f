import type { RepoFiles } from '../environment/repo-files.js';
import { hasFile, repoPath } from '../environment/repo-files.js';
import { runtimePython } from '../environment/runtime.js';
import {
  CONDA_PREFIX,
  aptTxt,
  condaInstall,
  condaStack,
  dockerfile,
  ENV_DIR,
  labels,
  run,
  environmentFilesBuild,
} from './parts.js';
import type { BuildPack, RenderContext, RenderSource, RenderedBuild } from './types.js';

/** environment.yml (or .yaml): a conda environment, solved by micromamba. */
export class CondaBuildPack implements BuildPack {
  readonly name = 'conda';

  detect(files: RepoFiles): boolean {
    return hasFile(files, 'environment.yml') || hasFile(files, 'environment.yaml');
  }

  render(files: RepoFiles, context: RenderContext, source: RenderSource): RenderedBuild {
    const name = hasFile(files, 'environment.yml') ? 'environment.yml' : 'environment.yaml';
    const python = runtimePython(files);
    const channel = context.packages.condaChannel;
    return environmentFilesBuild(files, context, source, {
      buildpack: this.name,
      environment: dockerfile(
        condaStack(context),
        aptTxt(files),
        [
          `COPY --chown=1000:1000 env/${name} ${ENV_DIR}/environment.yml`,
          run(
            `micromamba create -y -p ${CONDA_PREFIX} -c ${channel} -f ${ENV_DIR}/environment.yml`,
            condaInstall(context, `${python ? `python=${python} ` : ''}jupyter_server ipykernel`),
            'micromamba clean -y --all',
          ),
        ],
        labels(context),
      ),
      environmentFiles: [repoPath(files, name)],
      kernels: ['python3'],
    });
  }
}

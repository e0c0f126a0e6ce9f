import type { RepoFiles } from '../environment/repo-files.js';
import { hasFile, repoPath } from '../environment/repo-files.js';
import { dockerfile, labels } from './parts.js';
import type { BuildPack, RenderContext, RenderSource, RenderedBuild } from './types.js';

/**
 * The repository's own Dockerfile, built as given with the repository as context. The
 * image must provide `python3` with jupyter_server; binder-cell adds only its session glue.
 */
export class DockerfileBuildPack implements BuildPack {
  readonly name = 'dockerfile';

  detect(files: RepoFiles): boolean {
    return hasFile(files, 'Dockerfile');
  }

  render(files: RepoFiles, context: RenderContext, source: RenderSource): RenderedBuild {
    return {
      buildpack: this.name,
      environment: {
        dockerfile: files.files.get('Dockerfile') ?? '',
        context: { kind: 'repository', dockerfile: repoPath(files, 'Dockerfile') },
      },
      content: {
        dockerfile: dockerfile(
          ['ARG BINDER_ENV_IMAGE', 'FROM ${BINDER_ENV_IMAGE}'],
          ['COPY glue/ /opt/binder-cell/'],
          labels(context, source),
        ),
        context: { kind: 'glue' },
      },
      environmentUsesRepository: true,
      kernels: ['python3'],
      startScript: undefined,
    };
  }
}

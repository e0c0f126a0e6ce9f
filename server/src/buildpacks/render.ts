import { selectBuildPack } from './index.js';
import type { RenderContext, RenderSource, RenderedBuild } from './index.js';
import type { RepoFiles } from '../environment/repo-files.js';

/** The Dockerfiles the first matching buildpack renders for a repository. */
export function renderBuild(
  files: RepoFiles,
  context: RenderContext,
  source: RenderSource,
): RenderedBuild {
  return selectBuildPack(files).render(files, context, source);
}

/** Both Dockerfiles of a build as one text, the way `binder-cell-server dockerfile` prints them. */
export function formatRenderedBuild(rendered: RenderedBuild): string {
  const environmentTitle = rendered.environmentUsesRepository
    ? "environment image: the repository's own Dockerfile, with the repository as context"
    : 'environment image: shared by every commit with the same environment files';
  return [
    `# buildpack: ${rendered.buildpack}; kernels: ${rendered.kernels.join(', ')}`,
    ...(rendered.startScript
      ? [`# start: ${rendered.startScript} wraps the session's command`]
      : []),
    `# ---- ${environmentTitle}`,
    rendered.environment.dockerfile.trimEnd(),
    '# ---- content image: this commit on top of the environment image',
    rendered.content.dockerfile.trimEnd(),
    '',
  ].join('\n');
}

import type { EnvironmentFile, RepoFiles } from '../environment/repo-files.js';
import { hasFile, repoPath } from '../environment/repo-files.js';
import { aptInstall, aptTxt, dockerfile, labels, run, environmentFilesBuild } from './parts.js';
import { pythonStack } from './pip.js';
import type { BuildPack, RenderContext, RenderSource, RenderedBuild } from './types.js';

const PROJECT = '/srv/julia/project';

/** Project.toml: Julia with the project instantiated and IJulia for its kernel. */
export class JuliaBuildPack implements BuildPack {
  readonly name = 'julia';

  detect(files: RepoFiles): boolean {
    return hasFile(files, 'Project.toml');
  }

  render(files: RepoFiles, context: RenderContext, source: RenderSource): RenderedBuild {
    const { juliaVersion, juliaUrl } = context.packages;
    const minor = juliaVersion.split('.').slice(0, 2).join('.');
    const url = juliaUrl.replaceAll('{version}', juliaVersion).replaceAll('{minor}', minor);
    const names = (['Project.toml', 'Manifest.toml'] as EnvironmentFile[]).filter((name) =>
      hasFile(files, name),
    );
    return environmentFilesBuild(files, context, source, {
      buildpack: this.name,
      environment: dockerfile(
        pythonStack(files, context),
        [
          'USER root',
          'ENV JULIA_DEPOT_PATH=/srv/julia/depot JULIA_PROJECT=' + PROJECT,
          aptInstall(['curl']),
          run(
            'install -d /srv/julia/install',
            `curl -fsSL ${url} | tar -xz -C /srv/julia/install --strip-components=1`,
            'ln -s /srv/julia/install/bin/julia /usr/local/bin/julia',
            `install -d -o 1000 -g 1000 /srv/julia/depot ${PROJECT}`,
          ),
          'USER jovyan',
        ],
        aptTxt(files),
        [
          `COPY --chown=1000:1000 ${names.map((name) => `env/${name}`).join(' ')} ${PROJECT}/`,
          run(
            `julia -e 'using Pkg; Pkg.instantiate(); Pkg.precompile()'`,
            `julia --project=@v${minor} -e 'using Pkg; Pkg.add("IJulia"); using IJulia; installkernel("Julia", "--project=${PROJECT}")'`,
          ),
        ],
        labels(context),
      ),
      environmentFiles: names.map((name) => repoPath(files, name)),
      kernels: ['python3', `julia-${minor}`],
    });
  }
}

import type { RepoFiles } from '../environment/repo-files.js';
import { hasFile, repoPath } from '../environment/repo-files.js';
import {
  aptInstall,
  aptTxt,
  copyEnvironmentFiles,
  dockerfile,
  envFile,
  labels,
  pipInstall,
  requirementsNeedRepository,
  run,
  environmentFilesBuild,
} from './parts.js';
import { pythonStack } from './pip.js';
import type { BuildPack, RenderContext, RenderSource, RenderedBuild } from './types.js';

const R_RUNTIME = /^r-(?:(\d+\.\d+(?:\.\d+)?)-)?(\d{4}-\d{2}-\d{2})$/;

/** `r-<version>-<YYYY-MM-DD>` or `r-<YYYY-MM-DD>` from runtime.txt. */
export function rRuntime(files: RepoFiles): { version?: string; date: string } | undefined {
  const match = R_RUNTIME.exec(files.files.get('runtime.txt')?.trim() ?? '');
  if (!match?.[2]) return undefined;
  return { ...(match[1] ? { version: match[1] } : {}), date: match[2] };
}

const IR_KERNEL_JSON = JSON.stringify({
  argv: ['R', '--slave', '-e', 'IRkernel::main()', '--args', '{connection_file}'],
  display_name: 'R',
  language: 'R',
});

/** R from Debian with IRkernel (the `ir` kernel), next to Python; install.R runs against CRAN. */
export class RBuildPack implements BuildPack {
  readonly name = 'r';

  detect(files: RepoFiles): boolean {
    return rRuntime(files) !== undefined || hasFile(files, 'DESCRIPTION');
  }

  render(files: RepoFiles, context: RenderContext, source: RenderSource): RenderedBuild {
    const runtime = rRuntime(files);
    const cran = context.packages.cranMirror.replace('{date}', runtime?.date ?? 'latest');
    const requirements = files.files.get('requirements.txt');
    const pipInEnvironment =
      requirements !== undefined && !requirementsNeedRepository(requirements);
    const description = hasFile(files, 'DESCRIPTION');
    return environmentFilesBuild(files, context, source, {
      buildpack: this.name,
      environment: dockerfile(
        pythonStack(files, context),
        [
          'USER root',
          'ENV R_LIBS_USER=/srv/r-library',
          aptInstall([
            'r-base-core',
            'r-cran-irkernel',
            ...(description ? ['r-cran-remotes'] : []),
          ]),
          run(
            'install -d -o 1000 -g 1000 /srv/r-library /usr/local/share/jupyter/kernels/ir',
            `echo '${IR_KERNEL_JSON}' > /usr/local/share/jupyter/kernels/ir/kernel.json`,
            `echo 'options(repos = c(CRAN = "${cran}"))' >> /etc/R/Rprofile.site`,
          ),
          'USER jovyan',
        ],
        aptTxt(files),
        pipInEnvironment && [
          copyEnvironmentFiles(['requirements.txt']),
          run(pipInstall(context.packages, `-r ${envFile('requirements.txt')}`)),
        ],
        hasFile(files, 'install.R') && [
          copyEnvironmentFiles(['install.R']),
          run(`Rscript ${envFile('install.R')}`),
        ],
        labels(context),
      ),
      environmentFiles: [
        ...(pipInEnvironment ? [repoPath(files, 'requirements.txt')] : []),
        ...(hasFile(files, 'install.R') ? [repoPath(files, 'install.R')] : []),
      ],
      contentSteps: [
        requirements !== undefined &&
          !pipInEnvironment &&
          run(pipInstall(context.packages, `-r ${repoPath(files, 'requirements.txt')}`)),
        description && run(`R --quiet -e "remotes::install_local('.', upgrade = 'never')"`),
      ],
      kernels: ['python3', 'ir'],
    });
  }
}

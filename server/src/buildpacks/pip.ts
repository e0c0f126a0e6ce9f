import type { RepoFiles } from '../environment/repo-files.js';
import { hasFile, repoPath } from '../environment/repo-files.js';
import { runtimePython } from '../environment/runtime.js';
import {
  aptTxt,
  condaInstall,
  condaStack,
  copyEnvironmentFiles,
  debianPythonStack,
  dockerfile,
  envFile,
  labels,
  pipInstall,
  requirementsNeedRepository,
  run,
  environmentFilesBuild,
} from './parts.js';
import type { BuildPack, RenderContext, RenderSource, RenderedBuild } from './types.js';

/** A pyproject.toml pip can install: it declares both [project] and [build-system]. */
export function installablePyproject(text: string | undefined): boolean {
  return text !== undefined && /^\[project\]/m.test(text) && /^\[build-system\]/m.test(text);
}

/** setup.py and pyproject.toml count only at the root, when there is no binder folder. */
function installsRepository(files: RepoFiles): boolean {
  return (
    files.configDir === '' &&
    (hasFile(files, 'setup.py') || installablePyproject(files.files.get('pyproject.toml')))
  );
}

/** Python from Debian, or from conda when runtime.txt asks for another version. */
export function pythonStack(files: RepoFiles, context: RenderContext): string[] {
  const version = runtimePython(files);
  if (version === undefined || version === context.basePython) return debianPythonStack(context);
  return [
    ...condaStack(context),
    run(
      condaInstall(context, `python=${version} pip jupyter_server ipykernel`),
      'micromamba clean -y --all',
    ),
  ];
}

/** Renders a Python environment: requirements.txt, setup.py, pyproject.toml, or none of them. */
export function renderPython(
  name: string,
  files: RepoFiles,
  context: RenderContext,
  source: RenderSource,
): RenderedBuild {
  const requirements = files.files.get('requirements.txt');
  const inEnvironment = requirements !== undefined && !requirementsNeedRepository(requirements);
  const pip = (args: string) => run(pipInstall(context.packages, args));
  return environmentFilesBuild(files, context, source, {
    buildpack: name,
    environment: dockerfile(
      pythonStack(files, context),
      aptTxt(files),
      inEnvironment && [
        copyEnvironmentFiles(['requirements.txt']),
        pip(`-r ${envFile('requirements.txt')}`),
      ],
      labels(context),
    ),
    environmentFiles: inEnvironment ? [repoPath(files, 'requirements.txt')] : [],
    contentSteps: [
      requirements !== undefined &&
        !inEnvironment &&
        pip(`-r ${repoPath(files, 'requirements.txt')}`),
      installsRepository(files) && pip('.'),
    ],
    kernels: ['python3'],
  });
}

/** requirements.txt, or an installable setup.py / pyproject.toml at the root. */
export class PipBuildPack implements BuildPack {
  readonly name = 'pip';

  detect(files: RepoFiles): boolean {
    // runtime.txt naming R asks for the R buildpack, which installs requirements.txt too.
    if (/^r-/.test(files.files.get('runtime.txt')?.trim() ?? '')) return false;
    return hasFile(files, 'requirements.txt') || installsRepository(files);
  }

  render(files: RepoFiles, context: RenderContext, source: RenderSource): RenderedBuild {
    return renderPython(this.name, files, context, source);
  }
}

/** Nothing found: a default Python environment (apt.txt, postBuild and start still apply). */
export class DefaultPythonBuildPack implements BuildPack {
  readonly name = 'python';

  detect(): boolean {
    return true;
  }

  render(files: RepoFiles, context: RenderContext, source: RenderSource): RenderedBuild {
    return renderPython(this.name, files, context, source);
  }
}

import { buildFailed } from '../backends/shared/backend-error.js';
import { pipInstallArgs } from '../backends/shared/pip.js';
import type { PipSources } from '../backends/shared/pip.js';
import type { EnvironmentFile, RepoFiles } from '../environment/repo-files.js';
import { hasFile, repoPath } from '../environment/repo-files.js';
import type { PackageSources, RenderContext, RenderSource, RenderedBuild } from './types.js';

/** Dockerfile text from sections separated by blank lines. */
export function dockerfile(...sections: (string | string[] | false | undefined)[]): string {
  return `${sections
    .filter((section): section is string | string[] => Boolean(section))
    .map((section) => (Array.isArray(section) ? section.join('\n') : section))
    .filter((section) => section !== '')
    .join('\n\n')}\n`;
}

/** A `RUN` of several shell commands, one per line. */
export function run(...commands: string[]): string {
  return `RUN ${commands.join(' \\\n && ')}`;
}

export const HOME = '/home/jovyan';
export const ENV_DIR = '/tmp/binder-env';
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function aptInstall(packages: string[]): string {
  return run(
    'apt-get update -qq',
    `apt-get install -y --no-install-recommends ${packages.join(' ')}`,
    'rm -rf /var/lib/apt/lists/*',
  );
}

/** Where the repository is copied: HOME, as repo2docker does by default. */
export const REPO_DIR = HOME;

/**
 * The configured package indexes and retries as pip's environment variables, so that every
 * pip in the image uses them: the builder's own, postBuild's, start's, and a reader's
 * `%pip install` in the session. Empty for pip's defaults.
 */
export function pipEnvironment(sources: PipSources): string[] {
  return [
    ...(sources.pipIndexUrl ? [`PIP_INDEX_URL=${sources.pipIndexUrl}`] : []),
    // pip splits this variable's value at whitespace into several URLs.
    ...(sources.pipExtraIndexUrls.length > 0
      ? [`PIP_EXTRA_INDEX_URL=${JSON.stringify(sources.pipExtraIndexUrls.join(' '))}`]
      : []),
    `PIP_RETRIES=${sources.pipRetries}`,
  ];
}

/**
 * FROM the configured base image, with the notebook user's environment. As repo2docker
 * promises, `REPO_DIR` names the repository's folder and `~/.local/bin` and
 * `${REPO_DIR}/.local/bin` come first on PATH (one entry here: REPO_DIR is HOME), so tools
 * postBuild installs with `pip install --user` are found by start and by kernels. pip's
 * sources are the configured ones (pipEnvironment).
 */
export function base(
  context: RenderContext,
  pathEntries: string[],
  extraEnv: string[] = [],
): string[] {
  const env = [
    'DEBIAN_FRONTEND=noninteractive',
    'LANG=C.UTF-8',
    'LC_ALL=C.UTF-8',
    'NB_USER=jovyan',
    'NB_UID=1000',
    `HOME=${HOME}`,
    `REPO_DIR=${REPO_DIR}`,
    ...pipEnvironment(context.packages),
    ...extraEnv,
    `PATH=${[`${HOME}/.local/bin`, ...pathEntries, SYSTEM_PATH].join(':')}`,
  ];
  return ['ARG BINDER_BASE_IMAGE', 'FROM ${BINDER_BASE_IMAGE}', '', `ENV ${env.join(' \\\n    ')}`];
}

/** Points apt at the configured mirror (when one is configured). */
export function aptSources(context: RenderContext): string[] {
  const mirror = context.packages.aptMirror;
  if (!mirror) return [];
  return [run(`echo 'deb ${mirror} ${context.debianSuite} main' > /etc/apt/sources.list`)];
}

/** The notebook user (uid 1000) and the folders it owns. */
export function notebookUser(ownedDirs: string[]): string {
  return run(
    'groupadd --gid 1000 jovyan',
    'useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash jovyan',
    ...ownedDirs.map((dir) => `install -d -o 1000 -g 1000 ${dir}`),
  );
}

export function asUser(): string[] {
  return ['USER jovyan', `WORKDIR ${HOME}`];
}

/** A `pip install` command line for a Dockerfile `RUN`; `args` is what to install. */
export function pipInstall(packages: PackageSources, args: string): string {
  return ['pip', ...pipInstallArgs(packages, { noCache: true }), args].join(' ');
}

/**
 * Python from Debian in a venv owned by the notebook user, with the Jupyter server. The venv
 * sees the system's site-packages so that it sees the user's too: pip refuses
 * `pip install --user` in a venv without them, and postBuild scripts written for
 * repo2docker's conda Python use it. Debian's site-packages hold only what apt.txt adds.
 */
export function debianPythonStack(context: RenderContext): string[] {
  return [
    ...base(context, ['/srv/venv/bin'], ['VENV_PATH=/srv/venv']),
    '',
    ...aptSources(context),
    aptInstall(['ca-certificates', 'python3', 'python3-venv']),
    notebookUser(['/srv/venv']),
    ...asUser(),
    run(
      'python3 -m venv --system-site-packages /srv/venv',
      pipInstall(context.packages, 'jupyter_server ipykernel'),
    ),
  ];
}

export const CONDA_PREFIX = '/srv/conda/envs/notebook';

/** micromamba and a conda environment for the notebook, for Pythons Debian does not ship. */
export function condaStack(context: RenderContext): string[] {
  return [
    ...base(
      context,
      [`${CONDA_PREFIX}/bin`, '/srv/conda/bin'],
      ['MAMBA_ROOT_PREFIX=/srv/conda', `NB_PYTHON_PREFIX=${CONDA_PREFIX}`],
    ),
    '',
    ...aptSources(context),
    aptInstall(['bzip2', 'ca-certificates', 'curl']),
    run(`curl -fsSL ${context.packages.micromambaUrl} | tar -xj -C /usr/local bin/micromamba`),
    notebookUser(['/srv/conda']),
    ...asUser(),
  ];
}

export function condaInstall(context: RenderContext, what: string): string {
  return `micromamba install -y -p ${CONDA_PREFIX} -c ${context.packages.condaChannel} ${what}`;
}

/** Copies environment files into the environment stage (`env/<name>` in its build context). */
export function copyEnvironmentFiles(names: EnvironmentFile[]): string {
  return `COPY --chown=1000:1000 ${names.map((name) => `env/${name}`).join(' ')} ${ENV_DIR}/`;
}

const APT_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+:~-]+)?$/;

/** apt.txt's packages, validated, installed as root. */
export function aptTxt(files: RepoFiles): string[] {
  const text = files.files.get('apt.txt');
  if (text === undefined) return [];
  const packages: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    if (!APT_PACKAGE.test(line)) {
      throw buildFailed(
        `${repoPath(files, 'apt.txt')} line ${index + 1}: "${line}" is not a Debian package name`,
      );
    }
    packages.push(line);
  });
  return packages.length === 0 ? [] : ['USER root', aptInstall(packages), 'USER jovyan'];
}

/** True when requirements.txt points into the repository (`-e .`, `-r other.txt`, `./pkg`). */
export function requirementsNeedRepository(text: string): boolean {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .some((line) =>
      /^(-e|--editable|-r|--requirement|-c|--constraint)\s|^\.{1,2}(\/|$)|^file:/.test(line),
    );
}

/** LABELs naming what an image was built from and by which builder version. */
export function labels(context: RenderContext, source?: RenderSource): string {
  const values: Record<string, string> = {
    ...(source ? { 'org.binder-cell.repo': source.repo, 'org.binder-cell.ref': source.ref } : {}),
    'org.binder-cell.builder-version': context.builderVersion,
  };
  const pairs = Object.entries(values).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return `LABEL ${pairs.join(' \\\n      ')}`;
}

/**
 * The content layer: the session glue, the repository in REPO_DIR, then what needs both,
 * then postBuild. The build context makes postBuild and start executable (as repo2docker's
 * `chmod +x` does) with LF line endings: see `repoScripts`.
 */
export function contentStage(
  files: RepoFiles,
  context: RenderContext,
  source: RenderSource,
  steps: (string | false)[],
): string {
  return dockerfile(
    ['ARG BINDER_ENV_IMAGE', 'FROM ${BINDER_ENV_IMAGE}'],
    ['COPY glue/ /opt/binder-cell/', `COPY --chown=1000:1000 repo/ ${REPO_DIR}/`],
    steps.filter((step): step is string => Boolean(step)),
    hasFile(files, 'postBuild') && run(`./${repoPath(files, 'postBuild')}`),
    labels(context, source),
  );
}

/** What a buildpack working from environment files decides; see `environmentFilesBuild`. */
export interface EnvironmentFilesBuild {
  buildpack: string;
  /** The environment image's Dockerfile. */
  environment: string;
  /** The environment files (repository paths) the environment image is built from. */
  environmentFiles: string[];
  /** Steps of the content image that need the repository (`false` entries are left out). */
  contentSteps?: (string | false)[];
  kernels: string[];
}

/**
 * A build of every buildpack but the repository's own Dockerfile: an environment image made
 * from environment files alone (so commits that change only content share it), then the
 * content stage, with the repository's `start` script when it has one.
 */
export function environmentFilesBuild(
  files: RepoFiles,
  context: RenderContext,
  source: RenderSource,
  build: EnvironmentFilesBuild,
): RenderedBuild {
  return {
    buildpack: build.buildpack,
    environment: {
      dockerfile: build.environment,
      context: { kind: 'environment', files: build.environmentFiles },
    },
    content: {
      dockerfile: contentStage(files, context, source, build.contentSteps ?? []),
      context: { kind: 'content' },
    },
    environmentUsesRepository: false,
    kernels: build.kernels,
    startScript: startScript(files),
  };
}

/** The start script's path in an image whose content stage is `contentStage`. */
export function startScript(files: RepoFiles): string | undefined {
  return hasFile(files, 'start') ? `${REPO_DIR}/${repoPath(files, 'start')}` : undefined;
}

/** The environment stage's copy of a file, for use in RUN commands. */
export function envFile(name: EnvironmentFile): string {
  return `${ENV_DIR}/${name}`;
}

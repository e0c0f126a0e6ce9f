import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoPath } from '../../environment/repo-files.js';
import type { RepoFiles } from '../../environment/repo-files.js';
import { reproducibilityReport } from '../../environment/reproducibility.js';
import { readRequirements } from '../../environment/requirements.js';
import type { RequirementsGraph } from '../../environment/requirements.js';
import type { Logger } from '../../logger.js';
import { CommandError, runCommand } from '../../util/command.js';
import { folderDigest, sha256 } from '../../util/files.js';
import { buildFailed, stoppedBecause } from '../shared/backend-error.js';
import { pipInstallArgs } from '../shared/pip.js';
import type { PipSources } from '../shared/pip.js';
import { HostPythons } from './host-pythons.js';
import { BUILDER_PACKAGES, JupyterBases, PIP_ENV, layerOnto } from './jupyter-base.js';
import type { PythonChoice } from './host-pythons.js';
import { unsupportedFilesNotice } from './unsupported.js';
import type { UnsupportedFilesPolicy } from './unsupported.js';
import type {
  BackendHealth,
  BuildPlan,
  BuildSource,
  BuildStage,
  BuiltImage,
  StageInput,
} from '../types.js';

/** Bumped whenever a change here should rebuild every environment. */
export const LOCAL_BUILDER_VERSION = '2';

const READY_MARKER = '.binder-cell-env.json';

/** The environment files a venv is made from; the others are left out (unsupported.ts). */
const LOCAL_ENVIRONMENT_FILES = ['requirements.txt', 'runtime.txt'] as const;

export interface LocalVenvOptions {
  envsDir: string;
  /** config `local.python`: the Python environments are made with. */
  python: string;
  /** config `local.pythonFallback`. */
  pythonFallback: boolean;
  /** config `local.unsupportedFiles`. */
  unsupportedFiles: UnsupportedFilesPolicy;
  pip: PipSources;
  /** The server's log: it gets the host paths readers do not need. */
  logger: Logger;
}

/**
 * The embedded default: one Python venv per environment holding the repository's
 * requirements.txt, installed with the machine's pip setup, over the shared Jupyter base of
 * its Python (jupyter-base.ts). Requirements that break the base's packages (`pip check`)
 * get a venv of their own with jupyter_server and ipykernel resolved together with them.
 */
export class LocalVenvBuilder {
  readonly version = LOCAL_BUILDER_VERSION;
  private readonly pythons: HostPythons;
  private readonly bases: JupyterBases;

  constructor(private readonly options: LocalVenvOptions) {
    this.pythons = new HostPythons(options.python, options.pythonFallback);
    this.bases = new JupyterBases(options.envsDir, options.pip, LOCAL_BUILDER_VERSION);
  }

  /**
   * The venv for a repository, keyed by everything that makes it: the Python, the
   * requirements files (included ones too), the content of the repository folders they
   * install, the pip indexes and this builder. Throws HttpError 422 for a runtime.txt or
   * requirements file it cannot honour, and for skipped files under the `fail` policy.
   */
  async plan({ files }: BuildSource): Promise<BuildPlan> {
    const python = await this.pythons.choose(files);
    const notice = unsupportedFilesNotice(files, this.options.unsupportedFiles);
    const requirements = await readRequirements(files);
    const key = sha256(
      JSON.stringify({
        builder: this.version,
        python: python.info,
        requirements: files.files.get('requirements.txt') ?? '',
        ...(await includedInputs(files, requirements)),
        index: [this.options.pip.pipIndexUrl ?? '', ...this.options.pip.pipExtraIndexUrls],
      }),
    ).slice(0, 32);
    const dir = join(this.options.envsDir, key);
    const stage: BuildStage = {
      key: dir,
      kind: 'environment',
      noun: 'Python environment',
      find: async () => ((await this.isBuilt(dir)) ? image(key, dir) : undefined),
      build: (input) => this.build(key, dir, files, python, input),
    };
    return {
      stages: [stage],
      report: [
        ...reproducibilityReport(files, {
          builder: `local/${this.version}`,
          base: `Python ${python.info.version}`,
          buildpack: 'venv',
          requirements,
          usedFiles: LOCAL_ENVIRONMENT_FILES,
          builderPackages: BUILDER_PACKAGES,
        }),
        ...(python.fallback ? [python.fallback] : []),
        ...notice,
      ],
    };
  }

  private async build(
    key: string,
    dir: string,
    files: RepoFiles,
    python: PythonChoice,
    { log, signal }: StageInput,
  ): Promise<BuiltImage> {
    this.options.logger.info(
      { environment: key, python: python.info.executable, version: python.info.version },
      'building a venv',
    );
    const base = this.bases.dirFor(python.info);
    // Readers see the build log: the server's folders are its own business.
    const readable = (line: string) =>
      line.replaceAll(files.dir, '<repo>').replaceAll(dir, '<env>').replaceAll(base, '<base>');
    const run = (name: string, command: string, args: string[]) =>
      step(name, signal, readable, () =>
        runCommand(command, args, {
          cwd: files.dir,
          signal,
          onLine: (line) => log(readable(line)),
          env: { ...process.env, ...PIP_ENV },
        }),
      );
    const requirements = files.files.has('requirements.txt')
      ? ['-r', repoPath(files, 'requirements.txt')]
      : [];
    const venvPython = join(dir, 'bin', 'python');
    const pipInstall = ['-m', 'pip', ...pipInstallArgs(this.options.pip)];
    await rm(dir, { recursive: true, force: true });
    await mkdir(this.options.envsDir, { recursive: true });
    try {
      log(`Creating a Python ${python.info.version} environment`);
      if (!(await this.bases.isReady(base))) {
        log(
          `Installing ${BUILDER_PACKAGES.join(', ')}, which every environment of this Python shares`,
        );
      }
      await step('installing the Jupyter server', signal, readable, () =>
        this.bases.ensure(python.info, { signal, onLine: (line) => log(readable(line)) }),
      );
      await run('creating the venv', python.info.executable, ['-m', 'venv', '--without-pip', dir]);
      await layerOnto(dir, base);
      let layered = true;
      if (requirements.length > 0) {
        log('Installing requirements.txt');
        await run('pip install', venvPython, [...pipInstall, ...requirements]);
        const conflicts = await pipConflicts(venvPython);
        if (conflicts.length > 0) {
          layered = false;
          for (const line of conflicts) log(readable(line));
          log(
            'requirements.txt needs versions the shared Jupyter server cannot run with; building an environment with its own',
          );
          await rm(dir, { recursive: true, force: true });
          await run('creating the venv', python.info.executable, ['-m', 'venv', dir]);
          await run('pip install', venvPython, [
            ...pipInstall,
            ...BUILDER_PACKAGES,
            ...requirements,
          ]);
        }
      }
      await writeFile(
        join(dir, READY_MARKER),
        JSON.stringify({
          key,
          python: python.info,
          ...(layered ? { base } : {}),
          builtAt: new Date().toISOString(),
        }),
      );
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    log('Environment ready');
    return image(key, dir);
  }

  /** Whether the venv is whole: built, and its Jupyter base (when it has one) still there. */
  private async isBuilt(dir: string): Promise<boolean> {
    const marker = await readFile(join(dir, READY_MARKER), 'utf8').catch(() => undefined);
    if (marker === undefined) return false;
    const { base } = JSON.parse(marker) as { base?: string };
    return base === undefined || this.bases.isReady(base);
  }

  /** Healthy when the server's Python runs. */
  async health(): Promise<BackendHealth> {
    if (await this.pythons.defaultInfo()) return { ok: true };
    return { ok: false, problem: `the server's Python (${this.options.python}) cannot be run` };
  }
}

/**
 * What the requirements include beyond the top file, for the environment's key: the
 * included files, and a digest of each repository folder they install. Empty when they
 * include nothing, so such environments keep their keys.
 */
async function includedInputs(
  files: RepoFiles,
  requirements: RequirementsGraph | undefined,
): Promise<Record<string, unknown>> {
  if (!requirements) return {};
  const included = requirements.files.slice(1).map((file) => [file.path, file.content]);
  const packages = await Promise.all(
    requirements.localPackages.map(async (pkg) => [
      pkg.path,
      await folderDigest(join(files.dir, pkg.path)),
    ]),
  );
  return {
    ...(included.length > 0 ? { included } : {}),
    ...(packages.length > 0 ? { packages } : {}),
    ...(requirements.remoteIncludes.length > 0 ? { remote: requirements.remoteIncludes } : {}),
  };
}

function image(key: string, dir: string): BuiltImage {
  return { id: dir, name: `venv:${key.slice(0, 12)}` };
}

/** Runs one step of a build; its failure becomes the build's error (buildFailure). */
async function step<T>(
  name: string,
  signal: AbortSignal,
  readable: (line: string) => string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw buildFailure(name, error, signal, readable);
  }
}

/**
 * What `pip check` says is broken once the requirements are installed over the Jupyter
 * base: requirements that replaced a version the base's packages need.
 */
async function pipConflicts(python: string): Promise<string[]> {
  try {
    await runCommand(python, ['-m', 'pip', 'check'], { env: { ...process.env, ...PIP_ENV } });
    return [];
  } catch (error) {
    if (!(error instanceof CommandError) || error.exitCode === null) throw error;
    return error.tail;
  }
}

function buildFailure(
  step: string,
  error: unknown,
  signal: AbortSignal,
  readable: (line: string) => string,
): Error {
  if (signal.aborted) return buildFailed(`${step} ${stoppedBecause(signal)}`);
  if (error instanceof CommandError) {
    return buildFailed(
      `${step} failed (exit code ${error.exitCode ?? 'none'})`,
      error.tail.map(readable),
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoPath } from '../../environment/repo-files.js';
import type { EnvironmentFile, RepoFiles } from '../../environment/repo-files.js';
import { reproducibilityReport } from '../../environment/reproducibility.js';
import { runtimePython } from '../../environment/runtime.js';
import { HttpError } from '../../errors.js';
import { CommandError, runCommand } from '../../util/command.js';
import { exists, sha256 } from '../../util/files.js';
import { buildFailed, stoppedBecause } from '../shared/backend-error.js';
import { JUPYTER_GLUE } from '../shared/glue.js';
import { pipInstallArgs } from '../shared/pip.js';
import type { PipSources } from '../shared/pip.js';
import type {
  BackendHealth,
  BuildPlan,
  BuildSource,
  BuildStage,
  BuiltImage,
  StageInput,
} from '../types.js';

/** Bumped whenever a change here should rebuild every environment. */
export const LOCAL_BUILDER_VERSION = '1';

/** The environment files this builder acts on; the others are listed in the build log. */
const ACTED_ON: readonly EnvironmentFile[] = ['requirements.txt', 'runtime.txt'];

const READY_MARKER = '.binder-cell-env.json';

export interface LocalVenvOptions {
  envsDir: string;
  /** config `local.python`: the Python environments are made with. */
  python: string;
  pip: PipSources;
}

interface PythonInfo {
  executable: string;
  version: string;
}

interface PythonChoice {
  info: PythonInfo;
  warning?: string;
}

/**
 * The embedded default: one Python venv per environment, holding jupyter_server,
 * ipykernel and the repository's requirements.txt, installed with the machine's pip setup.
 */
export class LocalVenvBuilder {
  readonly version = LOCAL_BUILDER_VERSION;
  private readonly pythons = new Map<string, Promise<PythonInfo | undefined>>();
  private glueHash: Promise<string> | undefined;

  constructor(private readonly options: LocalVenvOptions) {}

  async plan({ files }: BuildSource): Promise<BuildPlan> {
    const python = await this.pythonFor(files);
    this.glueHash ??= readFile(JUPYTER_GLUE, 'utf8').then(sha256);
    const requirements = files.files.get('requirements.txt');
    const key = sha256(
      JSON.stringify({
        builder: this.version,
        glue: await this.glueHash,
        python: python.info,
        requirements: requirements ?? '',
        index: [this.options.pip.pipIndexUrl ?? '', ...this.options.pip.pipExtraIndexUrls],
      }),
    ).slice(0, 32);
    const dir = join(this.options.envsDir, key);
    const stage: BuildStage = {
      key: dir,
      kind: 'environment',
      find: async () => ((await exists(join(dir, READY_MARKER))) ? image(key, dir) : undefined),
      build: (input) => this.build(key, dir, files, python, input),
    };
    return {
      stages: [stage],
      report: reproducibilityReport(files, {
        builder: `local/${this.version}`,
        base: `Python ${python.info.version} (${python.info.executable})`,
        buildpack: 'venv',
      }),
    };
  }

  private async build(
    key: string,
    dir: string,
    files: RepoFiles,
    python: PythonChoice,
    { log, signal }: StageInput,
  ): Promise<BuiltImage> {
    const venvPython = join(dir, 'bin', 'python');
    if (python.warning) log(python.warning);
    for (const name of files.files.keys()) {
      if (!ACTED_ON.includes(name)) {
        log(
          `Note: the local backend does not act on ${repoPath(files, name)}; the docker backend does`,
        );
      }
    }
    const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      try {
        return await run();
      } catch (error) {
        throw buildFailure(name, error, signal);
      }
    };
    await rm(dir, { recursive: true, force: true });
    await mkdir(this.options.envsDir, { recursive: true });
    try {
      log(`Creating a Python ${python.info.version} environment`);
      await step('creating the venv', () =>
        runCommand(python.info.executable, ['-m', 'venv', dir], { signal, onLine: log }),
      );
      const requirements = files.files.has('requirements.txt')
        ? ['-r', join(files.dir, repoPath(files, 'requirements.txt'))]
        : [];
      log(
        `Installing jupyter_server, ipykernel${requirements.length ? ' and requirements.txt' : ''}`,
      );
      await step('pip install', () =>
        runCommand(
          venvPython,
          [
            '-m',
            'pip',
            ...pipInstallArgs(this.options.pip),
            'jupyter_server',
            'ipykernel',
            ...requirements,
          ],
          {
            cwd: files.dir,
            signal,
            onLine: log,
            env: { ...process.env, PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
          },
        ),
      );
      const { stdout } = await step('locating site-packages', () =>
        runCommand(venvPython, ['-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'], {
          signal,
        }),
      );
      await copyFile(JUPYTER_GLUE, join(stdout.trim(), 'binder_cell_jupyter.py'));
      await writeFile(
        join(dir, READY_MARKER),
        JSON.stringify({ key, python: python.info, builtAt: new Date().toISOString() }),
      );
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    log('Environment ready');
    return image(key, dir);
  }

  /** Healthy when the server's Python runs. */
  async health(): Promise<BackendHealth> {
    if (await this.probe(this.options.python)) return { ok: true };
    return { ok: false, problem: `the server's Python (${this.options.python}) cannot be run` };
  }

  /** The Python to build with: runtime.txt's `python-X.Y` when this host has it, else the default. */
  private async pythonFor(files: RepoFiles): Promise<PythonChoice> {
    const fallback = await this.probe(this.options.python);
    if (!fallback) {
      throw new HttpError(500, `the server's Python (${this.options.python}) cannot be run`);
    }
    const wanted = runtimePython(files);
    if (!wanted || fallback.version.startsWith(`${wanted}.`)) return { info: fallback };
    const requested = await this.probe(`python${wanted}`);
    if (requested) return { info: requested };
    return {
      info: fallback,
      warning: `runtime.txt asks for Python ${wanted}, which this server lacks; using Python ${fallback.version}`,
    };
  }

  private probe(command: string): Promise<PythonInfo | undefined> {
    let info = this.pythons.get(command);
    if (!info) {
      const script =
        'import json, sys; print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3]}))';
      info = runCommand(command, ['-c', script]).then(
        ({ stdout }) => JSON.parse(stdout) as PythonInfo,
        () => undefined,
      );
      this.pythons.set(command, info);
    }
    return info;
  }
}

function image(key: string, dir: string): BuiltImage {
  return { id: dir, name: `venv:${key.slice(0, 12)}` };
}

function buildFailure(step: string, error: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return buildFailed(`${step} ${stoppedBecause(signal)}`);
  if (error instanceof CommandError) {
    return buildFailed(`${step} failed (exit code ${error.exitCode ?? 'none'})`, error.tail);
  }
  return error instanceof Error ? error : new Error(String(error));
}

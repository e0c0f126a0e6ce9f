import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from '../errors.js';
import { CommandError, runCommand } from '../util/command.js';
import { exists, sha256 } from '../util/files.js';
import type { Environment } from './environment.js';
import { BuildError } from './types.js';
import type { BuildInput, Builder, BuiltImage } from './types.js';

/** Bumped whenever a change here should rebuild every environment. */
export const LOCAL_BUILDER_VERSION = '1';

/** The module every session's server runs from (fast start, TCP_NODELAY, parent watchdog). */
export const JUPYTER_GLUE = fileURLToPath(
  new URL('../../python/binder_cell_jupyter.py', import.meta.url),
);

const READY_MARKER = '.binder-cell-env.json';

export interface LocalVenvOptions {
  envsDir: string;
  python: string;
  pipIndexUrl?: string;
  pipRetries: number;
}

interface PythonInfo {
  executable: string;
  version: string;
}

/**
 * The embedded default: one Python venv per environment, holding jupyter_server,
 * ipykernel and the repository's requirements.txt, installed with the machine's pip setup.
 */
export class LocalVenvBuilder implements Builder {
  readonly backend = 'local';
  private readonly pythons = new Map<string, Promise<PythonInfo | undefined>>();
  private glueHash: Promise<string> | undefined;

  constructor(private readonly options: LocalVenvOptions) {}

  async key(environment: Environment): Promise<string> {
    const python = await this.pythonFor(environment);
    this.glueHash ??= readFile(JUPYTER_GLUE, 'utf8').then(sha256);
    return sha256(
      JSON.stringify({
        builder: LOCAL_BUILDER_VERSION,
        glue: await this.glueHash,
        python: python.info,
        requirements: environment.requirements ?? '',
        index: this.options.pipIndexUrl ?? '',
      }),
    ).slice(0, 32);
  }

  async find(key: string): Promise<BuiltImage | undefined> {
    const dir = join(this.options.envsDir, key);
    return (await exists(join(dir, READY_MARKER))) ? image(key, dir) : undefined;
  }

  async build(key: string, { environment, repoDir, log, signal }: BuildInput): Promise<BuiltImage> {
    const dir = join(this.options.envsDir, key);
    const venvPython = join(dir, 'bin', 'python');
    const python = await this.pythonFor(environment);
    if (python.warning) log(python.warning);
    for (const name of environment.unsupported) {
      log(`Note: the local backend does not act on ${name}; the docker backend does`);
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
      const requirements =
        environment.requirements === undefined
          ? []
          : ['-r', join(repoDir, environment.configDir, 'requirements.txt')];
      log(
        `Installing jupyter_server, ipykernel${requirements.length ? ' and requirements.txt' : ''}`,
      );
      await step('pip install', () =>
        runCommand(
          venvPython,
          [...this.pipInstall(), 'jupyter_server', 'ipykernel', ...requirements],
          {
            cwd: repoDir,
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

  private pipInstall(): string[] {
    const index = this.options.pipIndexUrl ? ['--index-url', this.options.pipIndexUrl] : [];
    return [
      '-m',
      'pip',
      'install',
      '--progress-bar',
      'off',
      '--retries',
      String(this.options.pipRetries),
      ...index,
    ];
  }

  /** The Python to build with: runtime.txt's `python-X.Y` when this host has it, else the default. */
  private async pythonFor(
    environment: Environment,
  ): Promise<{ info: PythonInfo; warning?: string }> {
    const fallback = await this.probe(this.options.python);
    if (!fallback) {
      throw new HttpError(500, `the server's Python (${this.options.python}) cannot be run`);
    }
    const wanted = /^python-(\d+\.\d+)$/.exec(environment.runtime ?? '')?.[1];
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
  if (signal.aborted) {
    return new BuildError(`${step} took longer than the build timeout and was stopped`);
  }
  if (error instanceof CommandError) {
    return new BuildError(`${step} failed (exit code ${error.exitCode ?? 'none'})`, error.tail);
  }
  return error instanceof Error ? error : new Error(String(error));
}

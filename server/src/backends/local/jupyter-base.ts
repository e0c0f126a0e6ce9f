import { randomUUID } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../util/command.js';
import type { RunOptions } from '../../util/command.js';
import { exists, sha256 } from '../../util/files.js';
import { SingleFlight } from '../../util/keyed.js';
import { pipInstallArgs } from '../shared/pip.js';
import type { PipSources } from '../shared/pip.js';
import type { PythonInfo } from './host-pythons.js';

/** What every environment runs its sessions with, unpinned, besides the repository's requirements. */
export const BUILDER_PACKAGES = ['jupyter_server', 'ipykernel'] as const;

const READY_MARKER = '.binder-cell-base.json';
/** The file in an environment's site-packages that puts the Jupyter base on its path. */
const BASE_PTH = '_binder_cell_jupyter_base.pth';

/**
 * The environment variables every pip run of the local backend gets: no prompts, and no
 * "new pip available" notices in readers' build logs.
 */
export const PIP_ENV = { PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' } as const;

/**
 * One venv per host Python holding jupyter_server and ipykernel (BUILDER_PACKAGES), under
 * `<envsDir>/base-<key>`, built once and shared: a repository's environment is a venv
 * without them that sees the base's site-packages through a `.pth` file (layerOnto), so
 * it installs only its own requirements. The key covers the Python, the pip indexes and
 * the builder version, as environment keys do.
 */
export class JupyterBases {
  private readonly building = new SingleFlight<string>();

  constructor(
    private readonly envsDir: string,
    private readonly pip: PipSources,
    private readonly builderVersion: string,
  ) {}

  /** The base's folder for a Python (it may not exist yet). */
  dirFor(python: PythonInfo): string {
    const key = sha256(
      JSON.stringify({
        builder: this.builderVersion,
        python,
        packages: BUILDER_PACKAGES,
        index: [this.pip.pipIndexUrl ?? '', ...this.pip.pipExtraIndexUrls],
      }),
    ).slice(0, 32);
    return join(this.envsDir, `base-${key}`);
  }

  /** Whether the base of a folder is built. */
  isReady(dir: string): Promise<boolean> {
    return exists(join(dir, READY_MARKER));
  }

  /**
   * The base for a Python, built first when missing; concurrent callers share one build.
   * It is built in a temporary folder renamed into place, so a base that exists is whole.
   * Throws CommandError when venv or pip fails.
   */
  async ensure(python: PythonInfo, options: RunOptions): Promise<string> {
    const dir = this.dirFor(python);
    if (await this.isReady(dir)) return dir;
    return this.building.run(dir, () => this.build(python, dir, options));
  }

  private async build(python: PythonInfo, dir: string, options: RunOptions): Promise<string> {
    const temporary = `${dir}.${randomUUID().slice(0, 8)}`;
    try {
      await runCommand(python.executable, ['-m', 'venv', temporary], options);
      await runCommand(
        join(temporary, 'bin', 'python'),
        ['-m', 'pip', ...pipInstallArgs(this.pip), ...BUILDER_PACKAGES],
        { ...options, env: { ...process.env, ...PIP_ENV } },
      );
      await writeFile(
        join(temporary, READY_MARKER),
        JSON.stringify({ python, builtAt: new Date().toISOString() }),
      );
      // Another server sharing the data folder may have finished first: its base is as good.
      await rename(temporary, dir).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
        await rm(temporary, { recursive: true, force: true });
      });
      return dir;
    } catch (error) {
      await rm(temporary, { recursive: true, force: true });
      throw error;
    }
  }
}

/**
 * Makes the venv at `env` (made with `--without-pip`) see the base's packages after its
 * own, as a venv with `--system-site-packages` sees the system's: its own installs win,
 * and pip leaves the base alone (pip documents that it does not uninstall outside the
 * environment). The base's commands (pip, jupyter, ...) become commands of the environment
 * that run with the environment's Python, so `!pip install` in a cell installs into it.
 */
export async function layerOnto(env: string, base: string): Promise<void> {
  await writeFile(join(await sitePackages(env), BASE_PTH), `${await sitePackages(base)}\n`);
  for (const command of await readdir(join(base, 'bin'))) {
    if (/^(python|activate|Activate)/.test(command)) continue;
    await writeFile(
      join(env, 'bin', command),
      `#!/bin/sh\nexec "${join(env, 'bin', 'python')}" "${join(base, 'bin', command)}" "$@"\n`,
      { mode: 0o755 },
    );
  }
}

/** A venv's site-packages folder (`lib/pythonX.Y/site-packages`). */
async function sitePackages(venv: string): Promise<string> {
  const versions = (await readdir(join(venv, 'lib'))).filter((name) => name.startsWith('python'));
  if (versions.length !== 1) throw new Error(`${venv} is not a venv of one Python`);
  return join(venv, 'lib', versions[0] as string, 'site-packages');
}

import { execFileSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRepoFiles } from '../../environment/repo-files.js';
import { createLogger } from '../../logger.js';
import { tempFolder } from '../../test-support/temp-folder.js';
import { LOCAL_BUILDER_VERSION, LocalVenvBuilder } from './venv-builder.js';
import type { LocalVenvOptions } from './venv-builder.js';

/** An interpreter that only tells its version: the server's default Python in these tests. */
async function pythonReporting(version: string): Promise<string> {
  const path = join(await tempFolder({}), 'python');
  await writeFile(path, `#!/bin/sh\necho '${JSON.stringify({ executable: path, version })}'\n`);
  await chmod(path, 0o755);
  return path;
}

describe('planning a local environment', () => {
  let builder: LocalVenvBuilder;
  let defaultPython: string;
  /** This machine's python3, X.Y.Z; pythonX.Y runs it. */
  const host = execFileSync(
    'python3',
    ['-c', 'import platform; print(platform.python_version())'],
    {
      encoding: 'utf8',
    },
  ).trim();

  async function builderWith(options: Partial<LocalVenvOptions> = {}) {
    return new LocalVenvBuilder({
      envsDir: await tempFolder({}),
      python: defaultPython,
      pythonFallback: false,
      unsupportedFiles: 'note',
      pip: { pipExtraIndexUrls: [], pipRetries: 0 },
      logger: createLogger('silent'),
      ...options,
    });
  }

  beforeAll(async () => {
    defaultPython = await pythonReporting('3.5.10');
    builder = await builderWith();
  });

  async function planFor(files: Record<string, string>, by = builder) {
    const dir = await tempFolder(files);
    return by.plan({ files: await readRepoFiles(dir), repo: 'local/x', ref: 'local-1' });
  }

  it("takes runtime.txt's python-X.Y.Z as Python X.Y, as the docker backend does", async () => {
    const plan = await planFor({ 'runtime.txt': `python-${host}\n` });
    expect(plan.report).toContainEqual(expect.stringContaining(`base: Python ${host}`));
  });

  it("uses the server's Python when runtime.txt names none, and shows readers no host path", async () => {
    const plan = await planFor({ 'requirements.txt': 'numpy\n' });
    expect(plan.report).toContainEqual(expect.stringMatching(/base: Python 3\.5\.10$/));
    expect(plan.report.join('\n')).not.toContain(defaultPython);
  });

  it('refuses a runtime.txt Python the host lacks with 422, naming the line and what it has', async () => {
    const hostMinor = host.split('.').slice(0, 2).join('.');
    await expect(planFor({ 'binder/runtime.txt': 'python-3.4\n' })).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(
        new RegExp(
          `^binder/runtime.txt asks for "python-3.4", which this server cannot provide; it has Python 3\\.5(, [\\d.]+)* and ${hostMinor.replace('.', '\\.')}\\. Ask for one of those in runtime\\.txt$`,
        ),
      ),
    });
  });

  it('falls back to its Python when the operator chose so, and says so in the log', async () => {
    const plan = await planFor(
      { 'runtime.txt': 'python-3.4\n' },
      await builderWith({ pythonFallback: true }),
    );
    expect(plan.report).toContain(
      "runtime.txt asks for python-3.4, which this server lacks; using Python 3.5.10 (the operator's local.pythonFallback)",
    );
  });

  it.each(['python3.11', 'pyhton-3.11', 'python-three'])(
    'refuses the malformed runtime.txt %j with 422',
    async (line) => {
      await expect(planFor({ 'runtime.txt': `${line}\n` })).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining(`runtime.txt says "${line}", which is not a runtime`),
      });
    },
  );

  it('says in every launch log what it leaves out, and refuses it under the fail policy', async () => {
    const files = {
      'binder/requirements.txt': 'numpy\n',
      'binder/postBuild': '#!/bin/sh\necho hi\n',
      'binder/apt.txt': 'curl\njq\n',
      'binder/start': '#!/bin/sh\nexec "$@"\n',
    };
    const plan = await planFor(files);
    expect(plan.report).toEqual(
      expect.arrayContaining([
        'Left out by the local backend (a server with the docker backend does these):',
        "  binder/apt.txt: not installed (curl, jq); only what the server's host has is there",
        '  binder/postBuild: not run',
        "  binder/start: not run before the session's kernel server",
      ]),
    );
    await expect(
      planFor(files, await builderWith({ unsupportedFiles: 'fail' })),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('binder/postBuild: not run'),
    });
  });

  it("says R packages are not installed and R cells run on the host's R, if it has IRkernel", async () => {
    const plan = await planFor({
      'requirements.txt': 'numpy\n',
      'install.R': 'install.packages("ggplot2")\n',
      'runtime.txt': 'r-2024-01-01\n',
    });
    const hostR =
      'R cells (kernel "ir") run on the host\'s R when it has IRkernel, with only the R packages the host has';
    expect(plan.report).toEqual(
      expect.arrayContaining([
        `  install.R: not run: ${hostR}`,
        `  runtime.txt: that R is not installed; ${hostR}`,
      ]),
    );
  });

  it('keys the environment by its requirements, not by the rest of the repository', async () => {
    const [first, second, other] = await Promise.all([
      planFor({ 'requirements.txt': 'numpy==2.4.6\n', 'a.ipynb': '{}' }),
      planFor({ 'requirements.txt': 'numpy==2.4.6\n', 'b.ipynb': '{}' }),
      planFor({ 'requirements.txt': 'numpy==2.4.5\n' }),
    ]);
    expect(first.stages[0]?.key).toBe(second.stages[0]?.key);
    expect(other.stages[0]?.key).not.toBe(first.stages[0]?.key);
  });

  it('keys the environment by included requirements files and the packages they install', async () => {
    const base = {
      'binder/requirements.txt': '-r ../requirements.txt\n-e .\n',
      'requirements.txt': 'numpy==2.4.6\n',
      'pyproject.toml': '[project]\nname = "p"\n',
      'p/__init__.py': 'VALUE = 1\n',
    };
    const [first, notebook, included, code] = await Promise.all([
      planFor(base),
      planFor({ ...base, 'notes.ipynb': '{}' }),
      planFor({ ...base, 'requirements.txt': 'numpy==2.4.5\n' }),
      planFor({ ...base, 'p/__init__.py': 'VALUE = 2\n' }),
    ]);
    expect(included.stages[0]?.key).not.toBe(first.stages[0]?.key);
    expect(code.stages[0]?.key).not.toBe(first.stages[0]?.key);
    // `-e .` installs the whole repository, so any change to it is a change of the package.
    expect(notebook.stages[0]?.key).not.toBe(first.stages[0]?.key);
    expect(first.report).toContain(
      '  repository packages: . (from binder/requirements.txt), installed as this commit has them',
    );
  });

  it('reports what the venv holds when the repository asks for what the local backend leaves out', async () => {
    const plan = await planFor({ Dockerfile: 'FROM debian\n', postBuild: 'pip install x\n' });
    const report = plan.report.slice(
      0,
      plan.report.indexOf(
        'Left out by the local backend (a server with the docker backend does these):',
      ),
    );
    expect(report).toEqual([
      'Reproducibility report',
      `  builder: local/${LOCAL_BUILDER_VERSION}; base: Python 3.5.10`,
      '  buildpack: venv',
      '  environment files: none (the environment holds only jupyter_server and ipykernel)',
      "  unpinned: no runtime.txt: the language version is the builder's default",
      '  unpinned: jupyter_server, ipykernel (installed by the builder at their newest versions)',
      '  verdict: 2 unpinned item(s); a rebuild may install newer versions',
    ]);
  });

  it('reports the requirements it installs and leaves out the environment.yml it does not', async () => {
    const plan = await planFor({
      'requirements.txt': 'numpy==2.4.6\n',
      'runtime.txt': `python-${host}\n`,
      'environment.yml': 'dependencies:\n  - scipy\n',
    });
    expect(plan.report).toContain('  environment files: requirements.txt, runtime.txt');
    expect(plan.report.filter((line) => line.startsWith('  unpinned:'))).toEqual([
      '  unpinned: jupyter_server, ipykernel (installed by the builder at their newest versions)',
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchEvent } from '@binder-cell/launch-protocol';
import type { BinderCellServer } from '../../server.js';
import {
  DEBIAN_JUPYTER_INSTALL,
  docker,
  startDockerTestServer,
  TEST_BASE_IMAGE,
} from '../../test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import type { GitRepo } from '../../test-support/git-repo.js';
import { execute, startKernel } from '../../test-support/kernel-client.js';
import type { Execution } from '../../test-support/kernel-client.js';
import { launch, launchReady } from '../../test-support/launch-client.js';
import { runInSession } from '../../test-support/run-in-session.js';
import { stopTestServer } from '../../test-support/server.js';

/** Launches a repository's main branch on the docker backend and runs `code` in its kernel. */
function runIn(server: BinderCellServer, repo: GitRepo, code: string, kernel = 'python3') {
  return runInSession(server.url, gitSpec(repo.url, 'main'), code, kernel);
}

/** Whether a package source answers at all (conda, Julia's registries are not reachable everywhere). */
async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

function skipBecause(context: { skip: (note?: string) => never }, reason: string): never {
  console.warn(`skipped: ${reason}`);
  return context.skip(reason);
}

/** A Dockerfile of Debian's own jupyter_server (1.23) and ipykernel, with the repository in HOME. */
const DEBIAN_JUPYTER_DOCKERFILE =
  `FROM ${TEST_BASE_IMAGE}\n${DEBIAN_JUPYTER_INSTALL}\n` +
  'RUN useradd --uid 1000 --create-home jovyan\n' +
  'COPY --chown=1000:1000 . /home/jovyan\n' +
  'USER jovyan\nWORKDIR /home/jovyan\n';

/** The traceback of an execution's error, without its colours. */
function tracebackOf(execution: Execution): string {
  const error = execution.results.find((message) => message.header.msg_type === 'error');
  const lines = (error?.content as { traceback?: string[] } | undefined)?.traceback ?? [];
  // eslint-disable-next-line no-control-regex
  return lines.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
}

const logOf = (events: LaunchEvent[]) =>
  events.map((event) => ('log' in event && event.log) || event.message || '').join('\n');

describe('docker builds of Binder repositories', () => {
  let server: BinderCellServer;

  beforeAll(async () => {
    server = await startDockerTestServer({ sessions: { maxSessions: 64 } });
  });
  afterAll(() => stopTestServer(server));

  it('installs requirements.txt (numpy) and reports what is unpinned', async () => {
    const repo = await createGitRepo({ 'requirements.txt': 'numpy\n' });
    const { stdout, events } = await runIn(
      server,
      repo,
      'import numpy\nprint(numpy.arange(4).sum())',
    );
    expect(stdout).toBe('6\n');
    const log = logOf(events);
    expect(log).toContain('Reproducibility report');
    expect(log).toContain('unpinned: requirements.txt: numpy (no ==version)');
    expect(log).toMatch(/builder: docker\/\d+; base: binder-cell-base:bookworm/);
  });

  it('installs apt.txt packages as root', async () => {
    const repo = await createGitRepo({ 'apt.txt': '# a tool\njq\n' });
    const { stdout } = await runIn(
      server,
      repo,
      'import subprocess\nprint(subprocess.run(["jq", "-n", "1+1"], capture_output=True, text=True).stdout.strip())',
    );
    expect(stdout).toBe('2\n');
  });

  it('runs postBuild as the user, after the repository is in place', async () => {
    const repo = await createGitRepo({
      'data.txt': 'from the repository\n',
      postBuild: '#!/bin/bash\nset -e\ncp data.txt "$HOME/copied.txt"\nid -u > "$HOME/uid.txt"\n',
    });
    const { stdout } = await runIn(
      server,
      repo,
      'import os\nprint(open("copied.txt").read().strip(), open("uid.txt").read().strip(), os.getuid(), os.getcwd())',
    );
    expect(stdout).toBe('from the repository 1000 1000 /home/jovyan\n');
  });

  it('wraps the session in the start script', async () => {
    const repo = await createGitRepo({
      start: '#!/bin/bash\nexport GREETING="set by start"\nexec "$@"\n',
    });
    const { stdout } = await runIn(server, repo, 'import os\nprint(os.environ["GREETING"])');
    expect(stdout).toBe('set by start\n');
  });

  it("reports a session that exits while starting with the container's last lines", async () => {
    const repo = await createGitRepo({
      start:
        '#!/bin/bash\necho "start ran, on stdout"\necho "and gave up, on stderr" >&2\nexit 3\n',
    });
    const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
    const last = events.at(-1);
    expect(last).toMatchObject({ phase: 'failed', status: 422 });
    const message = last?.phase === 'failed' ? last.message : '';
    expect(message).toContain(
      'the session container exited with code 3 while starting: the start script ' +
        '/home/jovyan/start or the server it runs failed.\nLast lines of output:\n',
    );
    // Docker copies stdout and stderr separately, so their lines may come in either order.
    expect(message.split('\n').slice(-2).sort()).toEqual([
      'and gave up, on stderr',
      'start ran, on stdout',
    ]);
  });

  it('honours runtime.txt python-3.11 with Debian Python', async () => {
    const repo = await createGitRepo({ 'runtime.txt': 'python-3.11\n' });
    const { stdout } = await runIn(
      server,
      repo,
      'import sys\nprint("%d.%d" % sys.version_info[:2])',
    );
    expect(stdout).toBe('3.11\n');
  });

  it('installs a setup.py package and a pyproject.toml package', async () => {
    const setupPy = await createGitRepo({
      'setup.py':
        'from setuptools import setup\nsetup(name="greeter", version="1.0", py_modules=["greeter"])\n',
      'greeter.py': 'def hello():\n    return "hello from setup.py"\n',
    });
    expect((await runIn(server, setupPy, 'import greeter\nprint(greeter.hello())')).stdout).toBe(
      'hello from setup.py\n',
    );
    const pyproject = await createGitRepo({
      'pyproject.toml':
        '[project]\nname = "projectpkg"\nversion = "1.0"\n\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
      'projectpkg.py': 'NAME = "from pyproject.toml"\n',
    });
    // Import from outside the checkout, so the installed package is what is found.
    expect(
      (
        await runIn(
          server,
          pyproject,
          'import os\nos.chdir("/tmp")\nimport projectpkg\nprint(projectpkg.NAME, projectpkg.__file__.startswith("/srv/venv"))',
        )
      ).stdout,
    ).toBe('from pyproject.toml True\n');
  });

  it('reads environment files from binder/, ignoring the root ones', async () => {
    const repo = await createGitRepo({
      'requirements.txt': 'binder-cell-no-such-package==1.0\n',
      'binder/requirements.txt': 'numpy\n',
    });
    const { stdout, events } = await runIn(
      server,
      repo,
      'import numpy\nprint("numpy", numpy.__name__)',
    );
    expect(stdout).toBe('numpy numpy\n');
    expect(logOf(events)).toContain('environment files: binder/requirements.txt');
  });

  it("builds a repository's own Dockerfile as given", async () => {
    const repo = await createGitRepo({
      'binder/Dockerfile': DEBIAN_JUPYTER_DOCKERFILE,
      'hello.txt': 'made by a Dockerfile\n',
    });
    const { stdout, events } = await runIn(server, repo, 'print(open("hello.txt").read().strip())');
    expect(stdout).toBe('made by a Dockerfile\n');
    expect(logOf(events)).toContain('buildpack: dockerfile');
  });

  it("keeps kernels of Debian's jupyter_server 1.23 in the repository, and its paths out of tracebacks", async () => {
    const repo = await createGitRepo({
      'binder/Dockerfile': DEBIAN_JUPYTER_DOCKERFILE,
      'weather/stations.py':
        'def check(celsius):\n    raise ValueError(f"{celsius} is too cold")\n',
    });
    const session = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
    const { kernel, dispose } = await startKernel(session, '../../etc');
    try {
      const result = await execute(
        kernel,
        'import os\nprint(os.getcwd())\nfrom weather import stations\nstations.check(-300)',
      );
      expect(result.stdout).toBe('/home/jovyan\n');
      const traceback = tracebackOf(result);
      expect(traceback).toMatch(/File weather\/stations\.py:2, in check/);
      expect(traceback).not.toMatch(/\/home\/jovyan|~\//);
    } finally {
      dispose();
    }
  });

  it('runs R code in the ir kernel of an R repository', async () => {
    const repo = await createGitRepo({ 'runtime.txt': 'r-2024-01-15\n' });
    const { stdout, session } = await runIn(server, repo, 'cat(sum(1:10), "\\n")', 'ir');
    expect(session.kernel).toBe('ir');
    expect(stdout.trim()).toBe('55');
  });

  it('fails a build whose postBuild fails with 422 and its last lines, and does not keep it', async () => {
    const repo = await createGitRepo({ postBuild: '#!/bin/bash\necho "about to fail"\nexit 3\n' });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
      const last = events.at(-1);
      expect(last).toMatchObject({ phase: 'failed', status: 422 });
      expect(last?.phase === 'failed' && last.message).toMatch(
        /content image failed[\s\S]*about to fail/,
      );
      expect(
        events.some(
          (event) =>
            event.phase === 'building' && event.log?.includes('Building the content image'),
        ),
      ).toBe(true);
    }
  });

  it('reuses the environment image for a commit that only changes a notebook', async () => {
    const repo = await createGitRepo({
      'requirements.txt': 'numpy\n',
      'analysis.ipynb': '{"cells": []}',
    });
    const first = await runIn(server, repo, 'print(open("analysis.ipynb").read())');
    await repo.commit({ 'analysis.ipynb': '{"cells": [1]}' });
    const second = await runIn(server, repo, 'print(open("analysis.ipynb").read())');
    expect(first.stdout).toBe('{"cells": []}\n');
    expect(second.stdout).toBe('{"cells": [1]}\n');
    expect(logOf(second.events)).toContain('Reused the environment image');
    expect(logOf(second.events)).not.toContain('Building the environment image');
    expect(logOf(second.events)).toContain('Building the content image');
    const environmentOf = async (image: string) =>
      (await docker.getImage(image).inspect()).Config.Labels?.['org.binder-cell.environment-key'];
    expect(await environmentOf(second.session.image)).toBe(
      await environmentOf(first.session.image),
    );
    expect(second.session.image).not.toBe(first.session.image);
  });

  it('builds environment.yml with micromamba where a conda registry is reachable', async (context) => {
    const { packages } = server.config;
    if (
      !(await reachable(packages.micromambaUrl)) ||
      !(await reachable(`https://conda.anaconda.org/${packages.condaChannel}`))
    ) {
      skipBecause(context, 'conda registry unreachable (micromamba and the conda channel)');
    }
    const repo = await createGitRepo({ 'environment.yml': 'dependencies:\n  - numpy\n' });
    expect((await runIn(server, repo, 'import numpy\nprint(numpy.ones(2).sum())')).stdout).toBe(
      '2.0\n',
    );
  });

  it("builds Project.toml with Julia where Julia's downloads are reachable", async (context) => {
    const { packages } = server.config;
    const minor = packages.juliaVersion.split('.').slice(0, 2).join('.');
    const url = packages.juliaUrl
      .replaceAll('{version}', packages.juliaVersion)
      .replaceAll('{minor}', minor);
    if (!(await reachable(url)) || !(await reachable('https://pkg.julialang.org'))) {
      skipBecause(
        context,
        'Julia registry unreachable (julialang downloads and pkg.julialang.org)',
      );
    }
    const repo = await createGitRepo({ 'Project.toml': '[deps]\n' });
    expect((await runIn(server, repo, 'println(1 + 1)', `julia-${minor}`)).stdout).toBe('2\n');
  });
});

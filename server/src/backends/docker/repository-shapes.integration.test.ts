import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../../server.js';
import {
  DEBIAN_JUPYTER_INSTALL,
  startDockerTestServer,
  TEST_BASE_IMAGE,
} from '../../test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import type { GitRepo } from '../../test-support/git-repo.js';
import { launch } from '../../test-support/launch-client.js';
import { runInSession } from '../../test-support/run-in-session.js';
import { logOf, SHADOWING_REPO, SHOW_SHADOWING } from '../../test-support/shape-fixtures.js';
import { stopTestServer } from '../../test-support/server.js';

/**
 * Repositories shaped the way real ones are, after repo2docker's own fixture repositories
 * (tests/venv/*, tests/dockerfile/* in jupyterhub/repo2docker): each is built on the docker
 * backend and checked by code run in its session's kernel, as their `verify` scripts are.
 */

function runIn(server: BinderCellServer, repo: GitRepo, code: string) {
  return runInSession(server.url, gitSpec(repo.url, 'main'), code);
}

/** Commits `paths` again without their executable bit, the way a Windows checkout adds them. */
async function withoutExecutableBit(repo: GitRepo, ...paths: string[]): Promise<void> {
  for (const path of paths) await chmod(join(repo.dir, path), 0o644);
  repo.git('add', '--all');
  repo.git('commit', '--quiet', '-m', 'no x bit');
  for (const path of paths) expect(repo.git('ls-files', '--stage', path)).toMatch(/^100644 /);
}

/** The failure message of a launch that must fail. */
async function failureOf(server: BinderCellServer, repo: GitRepo): Promise<string> {
  const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
  const last = events.at(-1);
  // The repository's doing: its start script, not the server.
  expect(last).toMatchObject({ phase: 'failed', status: 422 });
  return last?.phase === 'failed' ? last.message : '';
}

describe('repository shapes on the docker backend', () => {
  let server: BinderCellServer;

  beforeAll(async () => {
    server = await startDockerTestServer();
  });
  afterAll(() => stopTestServer(server));

  it('runs postBuild and start saved with Windows line endings, and says it converted them', async () => {
    const repo = await createGitRepo({
      postBuild: '#!/bin/bash\r\nset -e\r\necho "built" > "$HOME/postbuild.txt"\r\n',
      start: '#!/bin/bash\r\nexport TEST_START_VAR="var is set"\r\nexec "$@"\r\n',
    });
    expect(repo.git('show', 'HEAD:postBuild')).toContain('\r\n');
    const { stdout, events } = await runIn(
      server,
      repo,
      'import os\nprint(open("postbuild.txt").read().strip(), os.environ["TEST_START_VAR"])',
    );
    expect(stdout).toBe('built var is set\n');
    const log = logOf(events);
    expect(log).toContain('postBuild has Windows line endings (CRLF): they were converted to LF');
    expect(log).toContain('start has Windows line endings (CRLF): they were converted to LF');
  });

  it('runs postBuild and start from binder/ that are not executable, as repo2docker does', async () => {
    const repo = await createGitRepo({
      'binder/postBuild': '#!/bin/bash\necho "Done!" > "$HOME/postbuild.txt"\n',
      'binder/start': '#!/bin/bash\nexport TEST_START_VAR="var is set"\nexec "$@"\n',
    });
    await withoutExecutableBit(repo, 'binder/postBuild', 'binder/start');
    const { stdout } = await runIn(
      server,
      repo,
      'import os\nprint(open(os.path.expanduser("~/postbuild.txt")).read().strip(), os.environ["TEST_START_VAR"])',
    );
    expect(stdout).toBe('Done! var is set\n');
  });

  it('reads binder/ and its ignore files only, so a root ignore file listing binder/ breaks nothing', async () => {
    // After repo2docker's tests/venv/binder-dir: the root's files are not the environment's.
    const repo = await createGitRepo({
      '.containerignore': 'binder/\n',
      '.dockerignore': 'binder/\n',
      Dockerfile: 'FROM scratch\n',
      postBuild: '#!/bin/bash\nexit 1\n',
      'binder/postBuild': '#!/bin/bash\necho "Done!" > "$HOME/postbuild.txt"\n',
      'binder/start': '#!/bin/bash\nexport TEST_START_VAR="var is set"\nexec "$@"\n',
      'binder/.dockerignore': 'secret.txt\n',
      'binder/.containerignore': 'scratch/\n',
      'secret.txt': 'not for the image\n',
      'scratch/big.csv': '1,2,3\n',
      'analysis.py': 'ANSWER = 42\n',
    });
    const { stdout } = await runIn(
      server,
      repo,
      [
        'import os, analysis',
        'print(open("postbuild.txt").read().strip(), os.environ["TEST_START_VAR"], analysis.ANSWER)',
        'print(os.path.exists("secret.txt"), os.path.exists("scratch"), os.path.exists("binder/start"))',
      ].join('\n'),
    );
    expect(stdout).toBe('Done! var is set 42\nFalse False True\n');
  });

  it('finds what postBuild installs with pip install --user, from start and the kernel, with REPO_DIR set', async () => {
    // After repo2docker's tests/venv/postBuild and its promise that ~/.local/bin and
    // ${REPO_DIR}/.local/bin are on PATH. Its pip names no index: the configured ones apply.
    const repo = await createGitRepo({
      postBuild: '#!/bin/bash\nset -e\npip install --user tabulate\n',
      start: '#!/bin/bash\ncommand -v tabulate > "$HOME/found-by-start.txt"\nexec "$@"\n',
    });
    const { stdout } = await runIn(
      server,
      repo,
      [
        'import os, shutil, subprocess, tabulate',
        'print(os.environ["REPO_DIR"], os.getcwd())',
        'print(shutil.which("tabulate"), open("found-by-start.txt").read().strip())',
        'print(tabulate.__file__.startswith(os.path.expanduser("~/.local/lib/")))',
        'print(subprocess.run(["tabulate", "--help"], capture_output=True).returncode)',
        'print(os.environ.get("PIP_INDEX_URL"), os.environ.get("PIP_EXTRA_INDEX_URL"))',
      ].join('\n'),
    );
    const { pipIndexUrl, pipExtraIndexUrls } = server.config.packages;
    expect(stdout).toBe(
      '/home/jovyan /home/jovyan\n' +
        '/home/jovyan/.local/bin/tabulate /home/jovyan/.local/bin/tabulate\n' +
        'True\n' +
        '0\n' +
        // A reader's %pip install in the session uses the operator's indexes too.
        `${pipIndexUrl ?? 'None'} ${pipExtraIndexUrls.length > 0 ? pipExtraIndexUrls.join(' ') : 'None'}\n`,
    );
  });

  it('installs binder/requirements.txt that includes another file (-r) and the repository (-e .)', async () => {
    // After repo2docker's requirements fixtures: paths in a requirements file are its own.
    const repo = await createGitRepo({
      'binder/requirements.txt': '-r ../requirements-base.txt\n-e .\n',
      'requirements-base.txt': 'tabulate\n',
      'setup.py':
        'from setuptools import setup\nsetup(name="shapes", version="1.0", py_modules=["shapes"])\n',
      'shapes.py': 'NAME = "installed from the repository"\n',
    });
    const { stdout } = await runIn(
      server,
      repo,
      'import os\nos.chdir("/tmp")\nimport shapes, tabulate\nprint(shapes.NAME, tabulate.__name__)',
    );
    expect(stdout).toBe('installed from the repository tabulate\n');
  });

  it('gives a Dockerfile that sets no user or HOME a writable HOME, so its session starts', async () => {
    // After repo2docker's tests/dockerfile/binder-dir: binder/Dockerfile wins over the root's.
    const repo = await createGitRepo({
      Dockerfile: 'FROM scratch\n',
      'binder/Dockerfile': `FROM ${TEST_BASE_IMAGE}\n${DEBIAN_JUPYTER_INSTALL}\nCOPY . /srv/repo\nWORKDIR /srv/repo\n`,
      'hello.txt': 'made by binder/Dockerfile\n',
    });
    const { stdout, events } = await runIn(
      server,
      repo,
      [
        'import os',
        'print(os.getuid(), os.environ["HOME"], os.access(os.environ["HOME"], os.W_OK))',
        'print(os.getcwd(), open("hello.txt").read().strip())',
      ].join('\n'),
    );
    expect(stdout).toBe('1000 /tmp/home True\n/srv/repo made by binder/Dockerfile\n');
    expect(logOf(events)).toContain(
      'HOME (/) is not writable by this user; using /tmp/home instead',
    );
  });

  it('says start must end with exec "$@" when it exits 0 without running the server', async () => {
    const repo = await createGitRepo({
      'binder/start': '#!/bin/bash\nexport TEST_START_VAR="var is set"\necho "start is done"\n',
    });
    const message = await failureOf(server, repo);
    expect(message).toContain(
      'The session could not be started: the session container exited with code 0 while starting: ' +
        'the start script /home/jovyan/binder/start ended without running the command it was given: ' +
        'start must end with exec "$@".\nLast lines of output:\n',
    );
    expect(message).toContain('start is done');
  });

  it("starts the session's server without importing the repository's modules, which kernels import", async () => {
    const repo = await createGitRepo(SHADOWING_REPO);
    const { stdout } = await runInSession(server.url, gitSpec(repo.url, 'main'), SHOW_SHADOWING);
    expect(stdout).toBe("the repository's own yaml\nFalse\n");
  });
});

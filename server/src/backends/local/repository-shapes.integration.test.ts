import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../../server.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import { launch } from '../../test-support/launch-client.js';
import { runInSession } from '../../test-support/run-in-session.js';
import { startTestServer, stopTestServer } from '../../test-support/server.js';
import { logOf, SHADOWING_REPO, SHOW_SHADOWING } from '../../test-support/shape-fixtures.js';

/** Launches a repository's main branch and returns its last event. */
async function lastEvent(server: BinderCellServer, url: string) {
  const { events } = await launch(server.url, { repo: gitSpec(url, 'main') });
  return events.at(-1);
}

describe('repositories as they really are, on the local backend', () => {
  let server: BinderCellServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => stopTestServer(server));

  it('says in the launch log what it does not run, and that the docker backend does', async () => {
    const repo = await createGitRepo({
      'binder/requirements.txt': '',
      'binder/postBuild': '#!/bin/sh\ntouch "$HOME/post-build-ran"\n',
      'binder/apt.txt': 'jq\n',
      'binder/start': '#!/bin/sh\nexport FROM_START=1\nexec "$@"\n',
    });
    const { stdout, events } = await runInSession(
      server.url,
      gitSpec(repo.url, 'main'),
      'import os\nprint(os.path.exists(os.path.expanduser("~/post-build-ran")), "FROM_START" in os.environ)',
    );
    // What the log promises is what the session shows: neither postBuild nor start ran.
    expect(stdout).toBe('False False\n');
    const log = logOf(events);
    expect(log).toContain(
      'Left out by the local backend (a server with the docker backend does these):',
    );
    expect(log).toContain('  binder/postBuild: not run');
    expect(log).toContain(
      "  binder/apt.txt: not installed (jq); only what the server's host has is there",
    );
    expect(log).toContain("  binder/start: not run before the session's kernel server");
  });

  it('gives readers the Python version of the environment, not the server path of it', async () => {
    const repo = await createGitRepo({ 'requirements.txt': '' });
    const { stdout, events } = await runInSession(
      server.url,
      gitSpec(repo.url, 'main'),
      'import platform\nprint(platform.python_version())',
    );
    const log = logOf(events);
    expect(log).toContain(`base: Python ${stdout.trim()}\n`);
    expect(log).not.toMatch(/base: Python [\d.]+ \(/);
  });

  it('fails with 422 naming runtime.txt when it asks for a Python the server lacks', async () => {
    const repo = await createGitRepo({ 'runtime.txt': 'python-3.4\n', 'requirements.txt': '' });
    expect(await lastEvent(server, repo.url)).toMatchObject({
      phase: 'failed',
      status: 422,
      message: expect.stringMatching(
        /^runtime\.txt asks for "python-3\.4", which this server cannot provide; it has Python 3\.\d+/,
      ),
    });
  });

  it.each(['python3.11', 'pyhton-3.11'])(
    'fails with 422 for the malformed runtime.txt %j',
    async (line) => {
      const repo = await createGitRepo({ 'binder/runtime.txt': `${line}\n` });
      expect(await lastEvent(server, repo.url)).toMatchObject({
        phase: 'failed',
        status: 422,
        message: expect.stringContaining(
          `binder/runtime.txt says "${line}", which is not a runtime: write python-X.Y (python-3.11)`,
        ),
      });
    },
  );

  it('refuses a half-escaped git/ spec naming the URL, not the ref, with the right form', async () => {
    const { status, events } = await launch(server.url, { repo: 'git/http%3A//host/repo/HEAD' });
    expect(status).toBe(400);
    expect(events.at(-1)).toMatchObject({
      phase: 'failed',
      status: 400,
      message: expect.stringContaining(
        'must be URL-escaped as one part ("/" as %2F, ":" as %3A), followed by "/" and the ref: write git/http%3A%2F%2Fhost%2Frepo/HEAD',
      ),
    });
  });

  it("starts the session's server without importing the repository's modules, which kernels import", async () => {
    const repo = await createGitRepo(SHADOWING_REPO);
    const { stdout } = await runInSession(server.url, gitSpec(repo.url, 'main'), SHOW_SHADOWING);
    expect(stdout).toBe("the repository's own yaml\nFalse\n");
  });
});

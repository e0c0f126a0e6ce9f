import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../server.js';
import { startDockerTestServer } from '../test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { launch } from '../test-support/launch-client.js';
import { runInSession } from '../test-support/run-in-session.js';
import {
  SELF_INSTALLING_CHANGE,
  SELF_INSTALLING_REPO,
  SHOW_PACKAGE,
  logOf,
} from '../test-support/shape-fixtures.js';
import { stopTestServer } from '../test-support/server.js';

// Nothing listens on port 9 (discard) here: conda's download never answers.
const UNREACHABLE_MICROMAMBA = 'http://127.0.0.1:9/micromamba';

describe('environment identity and runtime.txt on the docker backend', () => {
  let server: BinderCellServer;

  beforeAll(async () => {
    server = await startDockerTestServer({
      packages: { micromambaUrl: UNREACHABLE_MICROMAMBA },
    });
  });
  afterAll(() => stopTestServer(server));

  it('gives a new commit of `-e .` its own package', async () => {
    const repo = await createGitRepo(SELF_INSTALLING_REPO);
    const first = await runInSession(server.url, gitSpec(repo.url, 'main'), SHOW_PACKAGE);
    expect(first.stdout).toBe('1.0 first\n');
    expect(logOf(first.events)).toContain(
      '  unpinned: requirements.txt (included by binder/requirements.txt): six (no ==version)',
    );
    await repo.commit(SELF_INSTALLING_CHANGE);
    const second = await runInSession(server.url, gitSpec(repo.url, 'main'), SHOW_PACKAGE);
    expect(second.stdout).toBe('2.0 second\n');
  });

  it('fails with 422 before building when runtime.txt needs a download it cannot reach', async () => {
    const repo = await createGitRepo({ 'runtime.txt': 'python-3.10\n' });
    const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
    expect(events.at(-1)).toEqual({
      phase: 'failed',
      status: 422,
      message:
        'runtime.txt asks for "python-3.10", which this server cannot provide; it has Python 3.11; ' +
        `other versions come from conda, and ${UNREACHABLE_MICROMAMBA} does not answer. Ask for python-3.11 in runtime.txt`,
    });
  });

  it('fails with 422 for a malformed runtime.txt', async () => {
    const repo = await createGitRepo({ 'binder/runtime.txt': 'python3.11\n' });
    const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
    expect(events.at(-1)).toMatchObject({
      phase: 'failed',
      status: 422,
      message: expect.stringContaining(
        'binder/runtime.txt says "python3.11", which is not a runtime',
      ),
    });
  });
});

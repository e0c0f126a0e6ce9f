import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { runInSession } from '../test-support/run-in-session.js';
import {
  SELF_INSTALLING_CHANGE,
  SELF_INSTALLING_REPO,
  SHOW_PACKAGE,
  logOf,
} from '../test-support/shape-fixtures.js';
import { startTestServer, TEST_DATA_DIR, stopTestServer } from '../test-support/server.js';

describe('the environment identity of requirements that include files and the repository', () => {
  let server: BinderCellServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => stopTestServer(server));

  it('gives a new commit of `-e .` its own package on the local backend', async () => {
    // A new package content on every run, so this launch builds and its pip output is checked.
    const repo = await createGitRepo({
      ...SELF_INSTALLING_REPO,
      'src/shapepkg/run.py': `RUN = ${JSON.stringify(randomUUID())}\n`,
    });
    const first = await runInSession(server.url, gitSpec(repo.url, 'main'), SHOW_PACKAGE);
    expect(first.stdout).toBe('1.0 first\n');
    const log = logOf(first.events);
    expect(log).toContain('requirements.txt (included by binder/requirements.txt)');
    expect(log).toContain(
      '  unpinned: requirements.txt (included by binder/requirements.txt): six (no ==version)',
    );
    expect(log).toContain(
      '  repository packages: . (from binder/requirements.txt), installed as this commit has them',
    );
    // pip names the repository by its folder ("Obtaining file://..."): readers see <repo>.
    expect(log).toContain('file://<repo>');
    expect(log).not.toContain(TEST_DATA_DIR);

    await repo.commit(SELF_INSTALLING_CHANGE);
    const second = await runInSession(server.url, gitSpec(repo.url, 'main'), SHOW_PACKAGE);
    expect(second.stdout).toBe('2.0 second\n');
  });

  it('rebuilds when only a file the requirements include changes', async () => {
    const repo = await createGitRepo({
      'binder/requirements.txt': '-r ../requirements.txt\n',
      'requirements.txt': '',
    });
    const probe = 'import importlib.util\nprint(importlib.util.find_spec("tabulate") is not None)';
    const first = await runInSession(server.url, gitSpec(repo.url, 'main'), probe);
    expect(first.stdout).toBe('False\n');
    await repo.commit({ 'requirements.txt': 'tabulate\n' });
    const second = await runInSession(server.url, gitSpec(repo.url, 'main'), probe);
    expect(second.stdout).toBe('True\n');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchEvent } from '@binder-cell/launch-protocol';
import type { BinderCellServer } from '../server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { runInSession } from '../test-support/run-in-session.js';
import { startTestServer } from '../test-support/server.js';

/** A repository whose binder/requirements.txt installs the repository itself and includes the root's. */
export const SELF_INSTALLING_REPO = {
  'binder/requirements.txt': '-r ../requirements.txt\n-e .\n',
  'requirements.txt': 'six\n',
  'pyproject.toml':
    '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n' +
    '[project]\nname = "shapepkg"\nversion = "1.0"\n',
  // A src layout: the session's working directory (the repository) does not shadow it.
  'src/shapepkg/__init__.py': 'VALUE = "first"\n',
};

/** The second commit: a new version of the repository's own package. */
export const SELF_INSTALLING_CHANGE = {
  'pyproject.toml': SELF_INSTALLING_REPO['pyproject.toml'].replace('"1.0"', '"2.0"'),
  'src/shapepkg/__init__.py': 'VALUE = "second"\n',
};

/** Prints the installed package's version (its metadata) and its code's value. */
export const SHOW_PACKAGE =
  'import importlib.metadata, shapepkg, six\nprint(importlib.metadata.version("shapepkg"), shapepkg.VALUE)';

export const logOf = (events: LaunchEvent[]) =>
  events.map((event) => ('log' in event && event.log) || event.message || '').join('\n');

describe('the environment identity of requirements that include files and the repository', () => {
  let server: BinderCellServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.registry.endAll('test finished');
    await server?.close();
  });

  it('gives a new commit of `-e .` its own package on the local backend', async () => {
    const repo = await createGitRepo(SELF_INSTALLING_REPO);
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

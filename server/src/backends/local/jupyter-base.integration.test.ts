import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../../server.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import { launch } from '../../test-support/launch-client.js';
import { runInSession } from '../../test-support/run-in-session.js';
import { startTestServer, stopTestServer } from '../../test-support/server.js';
import { logOf } from '../../test-support/shape-fixtures.js';

/** Where the session's jupyter_server comes from, and whether it is inside the environment. */
const SHOW_JUPYTER =
  'import jupyter_server, os, sys\n' +
  'print(os.path.dirname(os.path.dirname(jupyter_server.__file__)), jupyter_server.__file__.startswith(sys.prefix))';

describe('environments over one shared Jupyter base, on the local backend', () => {
  let server: BinderCellServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => stopTestServer(server));

  it('installs only the requirements, and every environment runs the same Jupyter server', async () => {
    // New requirements on every run, so both environments are built here.
    const run = randomUUID().slice(0, 8);
    const first = await createGitRepo({ 'requirements.txt': `six  # ${run}\n` });
    const second = await createGitRepo({ 'requirements.txt': `tabulate  # ${run}\n` });
    const a = await runInSession(server.url, gitSpec(first.url, 'main'), SHOW_JUPYTER);
    const b = await runInSession(server.url, gitSpec(second.url, 'main'), SHOW_JUPYTER);
    expect(a.stdout).toMatch(/ False\n$/);
    expect(b.stdout).toBe(a.stdout);
    expect(logOf(b.events)).toContain('Installing requirements.txt');
    expect(logOf(b.events)).not.toMatch(/Collecting jupyter.server/i);
  });

  it('lets `!pip install` in a cell install into the environment, not the shared base', async () => {
    const repo = await createGitRepo({ 'requirements.txt': '' });
    const { stdout } = await runInSession(
      server.url,
      gitSpec(repo.url, 'main'),
      'import shutil, subprocess, sys\n' +
        'pip = shutil.which("pip")\n' +
        'subprocess.run([pip, "install", "-q", "--retries", "0", "tabulate"], check=True, capture_output=True)\n' +
        'import tabulate\n' +
        'print(pip.startswith(sys.prefix), tabulate.__file__.startswith(sys.prefix))',
    );
    expect(stdout).toBe('True True\n');
  });

  it('builds requirements that break the Jupyter server the old way, and pip says why', async () => {
    // A repository that brings its own tornado, older than jupyter_server allows.
    const repo = await createGitRepo({
      'requirements.txt': './old-tornado\n',
      'old-tornado/pyproject.toml':
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n' +
        '[project]\nname = "tornado"\nversion = "5.0"\n',
      'old-tornado/tornado_placeholder.py': '',
    });
    const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
    const log = logOf(events);
    expect(log).toMatch(/jupyter.server .* requires tornado.*, but you have tornado 5\.0/i);
    expect(log).toContain(
      'requirements.txt needs versions the shared Jupyter server cannot run with; building an environment with its own',
    );
    const failed = events.at(-1);
    expect(failed).toMatchObject({ phase: 'failed', status: 422 });
    expect(failed?.phase === 'failed' && failed.message).toMatch(/pip install failed/);
  });
});

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { launch } from '../test-support/launch-client.js';
import { runInSession } from '../test-support/run-in-session.js';
import { startTestServer, stopTestServer } from '../test-support/server.js';
import { tempFolder } from '../test-support/temp-folder.js';

/** Serves `dir` as plain files on a loopback port: git's "dumb" HTTP transport. */
async function serveFiles(dir: string) {
  const server = createServer(express().use(express.static(dir, { dotfiles: 'allow' })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('git remotes as servers really offer them', () => {
  let server: BinderCellServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => stopTestServer(server));

  it('fetches a repository served as plain files, which cannot be fetched shallowly', async () => {
    const repo = await createGitRepo({ 'data.txt': 'served as files\n' });
    const files = await tempFolder({}, 'binder-cell-dumb-');
    execFileSync('git', ['clone', '--quiet', '--bare', repo.dir, `${files}/repo.git`]);
    execFileSync('git', ['--git-dir', `${files}/repo.git`, 'update-server-info']);
    const http = await serveFiles(files);
    try {
      const { stdout, events } = await runInSession(
        server.url,
        gitSpec(`${http.url}/repo.git`, 'main'),
        'print(open("data.txt").read(), end="")',
      );
      expect(stdout).toBe('served as files\n');
      expect(events.map((event) => ('log' in event && event.log) || '')).toContain(
        'This server serves git without shallow fetches: fetching the whole history',
      );
    } finally {
      await http.close();
    }
  });

  it('says a host it cannot reach is out of reach (503), not that the repository is missing', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/org/repo.git`;
    const { events } = await launch(server.url, { repo: gitSpec(url, 'main') });
    expect(events.at(-1)).toMatchObject({
      phase: 'failed',
      status: 503,
      message: expect.stringContaining('the server cannot reach it right now'),
    });
  });
});

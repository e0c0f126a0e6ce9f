import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { GitProvider } from '../repo/git.js';
import { GitRemotes } from '../repo/git-remotes.js';
import type { BinderCellServer } from '../server.js';
import { startGitHttpServer } from '../test-support/git-http-server.js';
import type { GitHttpServer } from '../test-support/git-http-server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { execute, startKernel } from '../test-support/kernel-client.js';
import { launch, launchReady } from '../test-support/launch-client.js';
import { startTestServer } from '../test-support/server.js';
import { tempFolder } from '../test-support/temp-folder.js';
import { AddressGuard } from './address-guard.js';

/**
 * The address guard on the real path: a real server, real DNS (host names this machine
 * resolves from /etc/hosts, so no query leaves it), real git over HTTP on loopback.
 */

let gitServer: GitHttpServer;
let port: string;

beforeAll(async () => {
  gitServer = await startGitHttpServer();
  port = new URL(gitServer.url).port;
  const repo = await createGitRepo({ 'data.txt': 'fetched over http\n' });
  gitServer.publish('org/repo.git', repo.dir);
});
afterAll(() => gitServer?.close());

describe('a server with the default address guard', () => {
  let server: BinderCellServer;
  beforeAll(async () => {
    // startTestServer allows 127.0.0.1 for the test git servers; this one keeps the default.
    server = await startTestServer({ admission: { allowPrivateGitHosts: [] } });
  });
  afterAll(() => server?.close());

  it.each(['localhost', '127.0.0.1', '[::ffff:127.0.0.1]'])(
    'refuses git/http://%s with 403 before git connects',
    async (host) => {
      const { status, events } = await launch(server.url, {
        repo: gitSpec(`http://${host}:${port}/org/repo.git`, 'main'),
      });
      expect(status).toBe(200);
      const last = events.at(-1);
      expect(last).toMatchObject({ phase: 'failed', status: 403 });
      expect(last?.phase === 'failed' && last.message).toContain('is a loopback address');
      expect(gitServer.paths).toEqual([]);
    },
  );
});

describe('a server whose operator allows 127.0.0.1 (the test configuration)', () => {
  let server: BinderCellServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('launches from a git server on 127.0.0.1 and runs code in the checkout', async () => {
    const ready = await launchReady(server.url, {
      repo: gitSpec(`http://localhost:${port}/org/repo.git`, 'main'),
    });
    expect(gitServer.paths.length).toBeGreaterThan(0);
    const { kernel, dispose } = await startKernel(ready);
    try {
      const result = await execute(kernel, "print(open('data.txt').read(), end='')");
      expect(result.stdout).toBe('fetched over http\n');
    } finally {
      dispose();
    }
  });
});

describe('git pinned to the checked address', () => {
  let pinnedServer: GitHttpServer;
  let url: string;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    // 127.0.0.2: where the guard's resolver says `vm` is; /etc/hosts says 127.0.0.1.
    pinnedServer = await startGitHttpServer('127.0.0.2');
    const repo = await createGitRepo({ 'data.txt': 'from the pinned address\n' });
    pinnedServer.publish('org/repo.git', repo.dir);
    url = `http://vm:${new URL(pinnedServer.url).port}/org/repo.git`;
  });
  afterAll(() => pinnedServer?.close());

  async function provider(guard?: AddressGuard): Promise<GitProvider> {
    const remotes = new GitRemotes({
      dataDir: await tempFolder({}),
      allowFileUrls: false,
      timeoutMs: 30_000,
    });
    return new GitProvider(
      { remotes, credentials: [] },
      { allowFileUrls: false, ...(guard ? { guard } : {}) },
    );
  }

  it('connects where the guard resolved the name, not where a second lookup would', async () => {
    const guard = new AddressGuard(['127.0.0.0/8'], () =>
      Promise.resolve([{ address: '127.0.0.2' }]),
    );
    const resolved = await (
      await provider(guard)
    )
      .open({ provider: 'git', url, ref: 'main' }, {})
      .resolve(signal);
    const dir = await resolved.fetch(signal, () => undefined);
    expect(await readFile(join(dir, 'data.txt'), 'utf8')).toBe('from the pinned address\n');
  });

  it('(control) without the pin, git resolves the name itself and misses the server', async () => {
    const error = await (
      await provider()
    )
      .open({ provider: 'git', url, ref: 'main' }, {})
      .resolve(signal)
      .then(
        () => new Error('git reached the server without the pin'),
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toContain('could not read the repository');
  });
});

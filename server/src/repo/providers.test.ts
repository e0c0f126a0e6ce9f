import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import type { GitRepo } from '../test-support/git-repo.js';
import { startGitHttpServer } from '../test-support/git-http-server.js';
import type { GitHttpServer } from '../test-support/git-http-server.js';
import type { ConfiguredCredentials } from './credentials.js';
import { GitProvider } from './git.js';
import type { GitRefContext } from './git-ref.js';
import { GitRemotes, parseLsRemote, refCandidates } from './git-remotes.js';
import { GitHubProvider } from './github.js';
import { GitLabProvider } from './gitlab.js';
import { RepoProviders } from './index.js';
import { LocalProvider } from './local.js';

async function context(credentials: ConfiguredCredentials[] = [], allowFileUrls = true) {
  const dataDir = await mkdtemp(join(tmpdir(), 'binder-cell-data-'));
  return { remotes: new GitRemotes({ dataDir, allowFileUrls, timeoutMs: 30_000 }), credentials };
}

const signal = new AbortController().signal;

/** Every provider, with git hosts at `baseUrl` and the given local folders. */
function providersOf(
  ctx: GitRefContext,
  { baseUrl = 'https://git.invalid', allowFileUrls = true, local = {} } = {},
): RepoProviders {
  return new RepoProviders({
    gh: new GitHubProvider(ctx, baseUrl),
    gl: new GitLabProvider(ctx, baseUrl),
    git: new GitProvider(ctx, { allowFileUrls }),
    local: new LocalProvider(local),
  });
}

describe('RepoProviders', () => {
  let providers: RepoProviders;
  beforeAll(async () => {
    providers = providersOf(await context(), { local: { book: '/srv/book' } });
  });

  it('refuses unknown providers and empty specs', () => {
    expect(() => providers.parse('zenodo/123')).toThrow(/unknown repository provider "zenodo"/);
    expect(() => providers.parse('local/')).toThrow(/is empty/);
    expect(() => providers.parse('local')).toThrow(/is empty/);
  });

  it('finds local repositories by name only', () => {
    expect(providers.parse('local/book').repoUrl).toBe('local/book');
    const status = (spec: string, ref?: string) => {
      try {
        providers.parse(spec, { ref });
      } catch (error) {
        return (error as HttpError).status;
      }
      return 'accepted';
    };
    expect(status('local/other')).toBe(404);
    expect(status('local/../book')).toBe(400);
    expect(status('local/constructor')).toBe(404);
    expect(status('local/book', 'main')).toBe(400);
  });
});

describe('git ref resolution helpers', () => {
  it('parses ls-remote output', () => {
    const refs = parseLsRemote('abc\tHEAD\ndef\trefs/heads/main\n123\trefs/tags/v1^{}\n');
    expect([...refs]).toEqual([
      ['HEAD', 'abc'],
      ['refs/heads/main', 'def'],
      ['refs/tags/v1^{}', '123'],
    ]);
  });

  it('prefers peeled tags, then tags, then branches', () => {
    expect(refCandidates('v1')).toEqual(['refs/tags/v1^{}', 'refs/tags/v1', 'refs/heads/v1']);
    expect(refCandidates('HEAD')).toEqual(['HEAD']);
    expect(refCandidates('refs/pull/1/head')).toEqual(['refs/pull/1/head^{}', 'refs/pull/1/head']);
  });
});

describe('git/ against a real repository', () => {
  it('resolves branches, annotated tags, HEAD and full commits', async () => {
    const repo = await createGitRepo({ 'a.txt': 'one' });
    const first = repo.git('rev-parse', 'HEAD');
    repo.git('tag', '-a', 'v1', '-m', 'version 1');
    const second = await repo.commit({ 'a.txt': 'two' });
    repo.git('branch', 'feature/x', first);
    const providers = providersOf(await context());
    const resolve = async (ref: string) =>
      (await providers.parse(gitSpec(repo.url), { ref }).resolve(signal)).ref;

    expect(await resolve('main')).toBe(second);
    expect(await resolve('HEAD')).toBe(second);
    expect(await resolve('v1')).toBe(first);
    expect(await resolve('feature/x')).toBe(first);
    expect(await resolve(first)).toBe(first);
    await expect(resolve('missing')).rejects.toMatchObject({ status: 404 });
  });

  it('takes the ref from the spec or the request, but not both', async () => {
    const repo = await createGitRepo({ 'a.txt': 'one' });
    const providers = providersOf(await context());
    const spec = gitSpec(repo.url);
    expect(providers.parse(`${spec}/main`, {}).spec).toBe(gitSpec(repo.url, 'main'));
    expect(providers.parse(spec, { ref: 'main' }).spec).toBe(gitSpec(repo.url, 'main'));
    expect(providers.parse(spec, {}).spec).toBe(gitSpec(repo.url, 'HEAD'));
    expect(() => providers.parse(`${spec}/main`, { ref: 'dev' })).toThrow(/given twice/);
    expect(() => providers.parse(`${spec}/main`, { ref: 'main' })).not.toThrow();
  });

  it('fetches exactly the resolved commit, once, without .git', async () => {
    const repo = await createGitRepo({ 'a.txt': 'one', 'sub/b.txt': 'nested' });
    const old = repo.git('rev-parse', 'HEAD');
    await repo.commit({ 'a.txt': 'two' });
    const providers = providersOf(await context());
    const resolved = await providers.parse(gitSpec(repo.url), { ref: old }).resolve(signal);
    // Either call may be the one that fetches (each first checks for a cached checkout).
    const log: string[] = [];
    const [dir, again] = await Promise.all([
      resolved.fetch(signal, (line) => log.push(line)),
      resolved.fetch(signal, (line) => log.push(line)),
    ]);
    expect(again).toBe(dir);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('one');
    expect(await readFile(join(dir, 'sub/b.txt'), 'utf8')).toBe('nested');
    await expect(readFile(join(dir, '.git', 'HEAD'))).rejects.toThrow();
    expect(log.some((line) => line.includes(old))).toBe(true);
  });

  it('refuses file:// repositories unless the server allows them', async () => {
    const providers = providersOf(await context([], false), { allowFileUrls: false });
    expect(() => providers.parse(gitSpec('file:///tmp/x'), { ref: 'main' })).toThrow(HttpError);
  });
});

describe('gh/ and gl/ against a git HTTP server', () => {
  let server: GitHttpServer;
  let repo: GitRepo;
  let commit: string;

  beforeAll(async () => {
    server = await startGitHttpServer();
    repo = await createGitRepo({ 'notebook.ipynb': '{}' });
    commit = repo.git('rev-parse', 'HEAD');
    server.publish('binder-examples/demo.git', repo.dir);
    server.publish('group/sub/project.git', repo.dir);
    server.publish('secret/private.git', repo.dir, {
      username: 'x-access-token',
      password: 's3cret',
    });
  });
  afterAll(() => server?.close());

  it('resolves gh/<owner>/<repo>/<ref> against the configured base URL', async () => {
    const providers = providersOf(await context(), { baseUrl: server.url });
    const ref = providers.parse('gh/binder-examples/demo/main', {});
    expect(ref.repoUrl).toBe(`${server.url}/binder-examples/demo.git`);
    const resolved = await ref.resolve(signal);
    expect(resolved).toMatchObject({
      ref: commit,
      persistentSpec: `gh/binder-examples/demo/${commit}`,
      refUrl: `${server.url}/binder-examples/demo/tree/${commit}`,
    });
    const dir = await resolved.fetch(signal, () => undefined);
    expect(await readFile(join(dir, 'notebook.ipynb'), 'utf8')).toBe('{}');
  });

  it('resolves gl/<escaped namespace>/<ref>', async () => {
    const providers = providersOf(await context(), { baseUrl: server.url });
    const ref = providers.parse(`gl/${encodeURIComponent('group/sub/project')}/main`, {});
    const resolved = await ref.resolve(signal);
    expect(resolved.ref).toBe(commit);
    expect(resolved.persistentSpec).toBe(`gl/group%2Fsub%2Fproject/${commit}`);
  });

  it.each([
    'gh/-evil/demo/main',
    'gh/owner/../main',
    'gl/project-without-group/main',
    'local/../book',
  ])('refuses the spec %j with 400', async (spec) => {
    const providers = providersOf(await context(), { baseUrl: server.url });
    expect(() => providers.parse(spec, {})).toThrow(
      expect.objectContaining({ status: 400 }) as Error,
    );
  });

  it('reads a private repository with configured credentials', async () => {
    const providers = providersOf(
      await context([{ urlPrefix: `${server.url}/secret/`, token: 's3cret' }]),
      { baseUrl: server.url },
    );
    const resolved = await providers.parse('gh/secret/private/main', {}).resolve(signal);
    expect(resolved.ref).toBe(commit);
    expect(
      await readFile(join(await resolved.fetch(signal, () => undefined), 'notebook.ipynb'), 'utf8'),
    ).toBe('{}');
  });

  it("reads a private repository with the user's own token, and not without it", async () => {
    const ctx = await context();
    const providers = providersOf(ctx, { baseUrl: server.url });
    await expect(
      providers.parse('gh/secret/private/main', {}).resolve(signal),
    ).rejects.toMatchObject({ status: 404 });
    const resolved = await providers
      .parse('gh/secret/private/main', { repoToken: 's3cret' })
      .resolve(signal);
    await resolved.fetch(signal, () => undefined);
    // A cached checkout is not a way around the access check, even by full commit.
    await expect(
      providers.parse(`gh/secret/private/${commit}`, {}).resolve(signal),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});

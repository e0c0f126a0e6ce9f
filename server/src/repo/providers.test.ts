import { mkdtemp } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { GitProvider, parseLsRemote, refCandidates } from './git.js';
import { RepoProviders } from './index.js';
import { LocalProvider } from './local.js';

async function gitProvider(allowFileUrls = true) {
  const dataDir = await mkdtemp(join(tmpdir(), 'binder-cell-data-'));
  return new GitProvider({ dataDir, allowFileUrls, timeoutMs: 30_000 });
}

const signal = new AbortController().signal;

describe('RepoProviders', () => {
  const providers = new RepoProviders([new LocalProvider({ book: '/srv/book' })]);

  it('refuses unknown providers and empty specs', () => {
    expect(() => providers.parse('zenodo/123', undefined)).toThrow(
      /unknown repository provider "zenodo"/,
    );
    expect(() => providers.parse('local/', undefined)).toThrow(/is empty/);
    expect(() => providers.parse('local', undefined)).toThrow(/is empty/);
  });

  it('finds local repositories by name only', () => {
    expect(providers.parse('local/book', undefined).repoUrl).toBe('local/book');
    expect(() => providers.parse('local/other', undefined)).toThrow(
      expect.objectContaining({ status: 404 }) as Error,
    );
    expect(() => providers.parse('local/../book', undefined)).toThrow(
      expect.objectContaining({ status: 400 }) as Error,
    );
    expect(() => providers.parse('local/constructor', undefined)).toThrow(
      expect.objectContaining({ status: 404 }) as Error,
    );
    expect(() => providers.parse('local/book', 'main')).toThrow(/have no refs/);
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

describe('GitProvider against a real repository', () => {
  it('resolves branches, annotated tags, HEAD and full commits', async () => {
    const repo = await createGitRepo({ 'a.txt': 'one' });
    const first = repo.git('rev-parse', 'HEAD');
    repo.git('tag', '-a', 'v1', '-m', 'version 1');
    const second = await repo.commit({ 'a.txt': 'two' });
    repo.git('branch', 'feature/x', first);
    const provider = await gitProvider();
    const resolve = async (ref: string) =>
      (await provider.parse(encodeURIComponent(repo.url), ref).resolve(signal)).ref;

    expect(await resolve('main')).toBe(second);
    expect(await resolve('HEAD')).toBe(second);
    expect(await resolve('v1')).toBe(first);
    expect(await resolve('feature/x')).toBe(first);
    expect(await resolve(first)).toBe(first);
    await expect(resolve('missing')).rejects.toMatchObject({ status: 404 });
  });

  it('takes the ref from the spec or the request, but not both', async () => {
    const repo = await createGitRepo({ 'a.txt': 'one' });
    const provider = await gitProvider();
    const spec = gitSpec(repo.url).slice('git/'.length);
    expect(provider.parse(`${spec}/main`, undefined).spec).toBe(gitSpec(repo.url, 'main'));
    expect(provider.parse(spec, 'main').spec).toBe(gitSpec(repo.url, 'main'));
    expect(provider.parse(spec, undefined).spec).toBe(gitSpec(repo.url, 'HEAD'));
    expect(() => provider.parse(`${spec}/main`, 'dev')).toThrow(/given twice/);
    expect(() => provider.parse(`${spec}/main`, 'main')).not.toThrow();
  });

  it('fetches exactly the resolved commit, once, without .git', async () => {
    const repo = await createGitRepo({ 'a.txt': 'one', 'sub/b.txt': 'nested' });
    const old = repo.git('rev-parse', 'HEAD');
    await repo.commit({ 'a.txt': 'two' });
    const provider = await gitProvider();
    const resolved = await provider.parse(encodeURIComponent(repo.url), old).resolve(signal);
    const log: string[] = [];
    const [dir, again] = await Promise.all([
      resolved.fetch(signal, (line) => log.push(line)),
      resolved.fetch(signal, () => undefined),
    ]);
    expect(again).toBe(dir);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('one');
    expect(await readFile(join(dir, 'sub/b.txt'), 'utf8')).toBe('nested');
    await expect(readFile(join(dir, '.git', 'HEAD'))).rejects.toThrow();
    expect(log.some((line) => line.includes(old))).toBe(true);
  });

  it('refuses file:// repositories unless the server allows them', async () => {
    const provider = await gitProvider(false);
    expect(() => provider.parse(encodeURIComponent('file:///tmp/x'), 'main')).toThrow(HttpError);
  });
});

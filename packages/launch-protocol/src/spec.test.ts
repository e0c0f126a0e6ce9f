import { describe, expect, it } from 'vitest';
import { SpecError, checkRef, formatRepoSpec, parseRepoSpec, specWithRef } from './spec.js';
import type { RepoSpec } from './spec.js';

describe('parseRepoSpec', () => {
  it.each<[string, RepoSpec]>([
    ['gh/org/repo/main', { provider: 'gh', owner: 'org', name: 'repo', ref: 'main' }],
    ['gh/org/repo.git', { provider: 'gh', owner: 'org', name: 'repo', ref: undefined }],
    ['gh/org/repo/feature/x/', { provider: 'gh', owner: 'org', name: 'repo', ref: 'feature/x' }],
    ['gl/group%2Fsub%2Fproject/v1', { provider: 'gl', namespace: 'group/sub/project', ref: 'v1' }],
    ['gl/group%2Fproject.git', { provider: 'gl', namespace: 'group/project', ref: undefined }],
    [
      'git/https%3A%2F%2Fx.org%2Fr.git/feature%2Fx',
      { provider: 'git', url: 'https://x.org/r.git', ref: 'feature/x' },
    ],
    [
      'git/https%3A%2F%2Fx.org%2Fr.git',
      { provider: 'git', url: 'https://x.org/r.git', ref: undefined },
    ],
    ['local/quickstart', { provider: 'local', name: 'quickstart' }],
  ])('reads %s', (text, spec) => {
    expect(parseRepoSpec(text)).toEqual(spec);
  });

  it.each([
    ['zenodo/10.5281/zenodo.1', 'unknown repository provider "zenodo"'],
    ['local/', 'is empty'],
    ['local', 'is empty'],
    ['gh/-evil/demo/main', 'invalid GitHub owner'],
    ['gh/owner/../main', 'invalid GitHub repository name'],
    ['gh/owner', 'names no repository'],
    ['gl/project-without-group/main', 'the GitLab namespace must be URL-escaped as one part'],
    ['gl/project-without-group', 'invalid GitLab namespace'],
    [`gl/${encodeURIComponent('group/../etc')}/main`, 'invalid GitLab namespace'],
    ['git/https%3A%2F%2Fx.org%2Fr.git/--upload-pack=x', 'invalid ref'],
    ['git/%E0%A4%A/main', 'repository URL is not correctly URL-escaped'],
    ['gh/org/repo/%E0%A4%A', 'ref is not correctly URL-escaped'],
    ['local/../etc', 'invalid local repository name'],
  ])('refuses %s', (text, problem) => {
    expect(() => parseRepoSpec(text)).toThrow(SpecError);
    expect(() => parseRepoSpec(text)).toThrow(problem);
  });

  it.each(['quickstart', 'book-2', 'a.b_c'])('accepts the local name %s', (name) => {
    expect(parseRepoSpec(`local/${name}`)).toEqual({ provider: 'local', name });
  });

  it.each(['../etc', '..', 'a/b', '.hidden', 'a b', '%2e%2e', 'a'.repeat(101), 'x..y'])(
    'refuses the local name %j',
    (name) => expect(() => parseRepoSpec(`local/${name}`)).toThrow(SpecError),
  );
});

describe('formatRepoSpec', () => {
  it.each([
    'gh/org/repo/main',
    'gh/org/repo/feature/x',
    'gh/org/repo',
    'gl/group%2Fsub%2Fproject/v1',
    'git/https%3A%2F%2Fx.org%2Fr.git/feature%2Fx',
    'local/quickstart',
  ])('writes back %s', (text) => {
    expect(formatRepoSpec(parseRepoSpec(text))).toBe(text);
  });
});

describe('specWithRef', () => {
  it.each([
    ['gh/org/repo', 'gh/org/repo/main'],
    ['gh/org/repo/', 'gh/org/repo/main'],
    ['gh/org/repo/v1', 'gh/org/repo/v1'],
    ['gist/user/0123', 'gist/user/0123/main'],
    ['gl/group%2Fproject', 'gl/group%2Fproject/main'],
    ['git/https%3A%2F%2Fx.org%2Fr.git', 'git/https%3A%2F%2Fx.org%2Fr.git/main'],
    ['git/https%3A%2F%2Fx.org%2Fr.git/v1', 'git/https%3A%2F%2Fx.org%2Fr.git/v1'],
    ['local/quickstart', 'local/quickstart'],
    ['zenodo/10.5281/zenodo.1', 'zenodo/10.5281/zenodo.1'],
  ])('adds the ref to %s only when it has none', (text, expected) => {
    expect(specWithRef(text, 'main')).toBe(expected);
  });

  it('escapes a ref where the provider escapes refs', () => {
    expect(specWithRef('gl/group%2Fproject', 'feature/x')).toBe('gl/group%2Fproject/feature%2Fx');
    expect(specWithRef('gh/org/repo', 'feature/x')).toBe('gh/org/repo/feature/x');
  });
});

describe('checkRef', () => {
  it.each([
    'main',
    'HEAD',
    'v1.2.3',
    'feature/login',
    'refs/heads/main',
    'a'.repeat(40),
    'release-2024_01',
  ])('accepts %s', (ref) => expect(checkRef(ref)).toBe(ref));

  it.each([
    ['', 'empty'],
    ['--upload-pack=touch /tmp/x', 'option injection'],
    ['-c', 'leading dash'],
    ['main branch', 'space'],
    ['a\nb', 'newline'],
    ['a\u0000b', 'NUL'],
    ['../../etc', 'dot dot'],
    ['a..b', 'dot dot inside'],
    ['main~1', 'tilde'],
    ['main^', 'caret'],
    ['a:b', 'colon'],
    ['a?b', 'question mark'],
    ['a*b', 'star'],
    ['a[b', 'bracket'],
    ['a\\b', 'backslash'],
    ['@{-1}', 'reflog syntax'],
    ['@', 'lone at'],
    ['/main', 'leading slash'],
    ['main/', 'trailing slash'],
    ['a//b', 'empty component'],
    ['main.', 'trailing dot'],
    ['.hidden/x', 'component starting with a dot'],
    ['x/y.lock', '.lock component'],
    ['x'.repeat(256), 'too long'],
  ])('refuses %j (%s)', (ref) => {
    expect(() => checkRef(ref)).toThrow(SpecError);
  });
});

import { describe, expect, it } from 'vitest';
import { SpecError, parseRepoSpec } from './spec.js';

/** The message parseRepoSpec throws for `text` (fails the test when it does not throw). */
function problemWith(text: string): string {
  expect(() => parseRepoSpec(text)).toThrow(SpecError);
  try {
    parseRepoSpec(text);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('messages for specs written the wrong way', () => {
  it.each([
    // Half-escaped: ":" escaped, "/" not; the ref is not to blame.
    ['git/http%3A//host/repo/HEAD', 'git/http%3A%2F%2Fhost%2Frepo/HEAD'],
    ['git/https://example.org/org/repo.git', 'git/https%3A%2F%2Fexample.org%2Forg%2Frepo.git/HEAD'],
    ['git/https://example.org/org/repo/v1', 'git/https%3A%2F%2Fexample.org%2Forg%2Frepo/v1'],
  ])('%s: says the URL is not escaped as one part and shows %s', (text, form) => {
    const message = problemWith(text);
    expect(message).toContain('must be URL-escaped as one part');
    expect(message).toContain(`write ${form}`);
    expect(message).not.toContain('invalid ref');
    expect(parseRepoSpec(form)).toMatchObject({ provider: 'git' });
  });

  it('leaves an escaped URL of any scheme to the server, which decides the schemes it takes', () => {
    expect(parseRepoSpec(`git/${encodeURIComponent('ext::git-upload-pack')}/main`)).toEqual({
      provider: 'git',
      url: 'ext::git-upload-pack',
      ref: 'main',
    });
  });

  it('says what a git/ spec without a clone URL lacks', () => {
    expect(problemWith('git/example.org/HEAD')).toContain(
      '"example.org" is not a clone URL: write git/<URL-escaped clone URL>/<ref>',
    );
  });

  it.each([
    ['gh/https://github.com/org/repo', 'gh/org/repo/HEAD'],
    ['gh/github.com/org/repo', 'gh/org/repo/HEAD'],
    ['gh/https%3A%2F%2Fgithub.com%2Forg%2Frepo%2Ftree%2Fdev', 'gh/org/repo/dev'],
    ['gh/https://github.com/org/repo.git', 'gh/org/repo/HEAD'],
    ['gh/github.com/org/repo/main', 'gh/org/repo/main'],
    // GitHub's web pages: the ref they show, never the file path after it.
    ['gh/https://github.com/org/repo/blob/main/notebooks/a.ipynb', 'gh/org/repo/main'],
    ['gh/https://github.com/org/repo/tree/dev/notebooks', 'gh/org/repo/dev'],
    ['gh/https://github.com/org/repo/commit/0123abc', 'gh/org/repo/0123abc'],
    ['gh/https://github.com/org/repo/releases/tag/v1.2', 'gh/org/repo/v1.2'],
    ['gh/https://github.com/org/repo/pull/42', 'gh/org/repo/refs/pull/42/head'],
    ['gh/https://github.com/org/repo/pull/42/files', 'gh/org/repo/refs/pull/42/head'],
    ['gh/https://github.com/org/repo/issues', 'gh/org/repo/HEAD'],
    ['gh/https://github.com/org/repo/issues/7', 'gh/org/repo/HEAD'],
  ])('%s: says gh/ takes no URL and shows %s', (text, form) => {
    const message = problemWith(text);
    expect(message).toContain('gh/ takes a GitHub owner and repository name, not a URL');
    expect(message).toContain(`write ${form}`);
    expect(parseRepoSpec(form)).toMatchObject({ provider: 'gh' });
  });

  it('says a gh/ spec with only an owner names no repository', () => {
    expect(problemWith('gh/org')).toBe(
      '"gh/org" names no repository: write gh/<owner>/<repo>/<ref>, e.g. gh/org/<repo>/HEAD',
    );
  });

  it.each([
    ['gl/group/project/main', 'gl/group%2Fproject/main'],
    ['gl/group/sub/project/v1', 'gl/group%2Fsub%2Fproject/v1'],
  ])('%s: says the namespace is not escaped and shows %s', (text, form) => {
    const message = problemWith(text);
    expect(message).toContain('the GitLab namespace must be URL-escaped as one part');
    expect(message).toContain(`write ${form}`);
    expect(parseRepoSpec(form)).toMatchObject({ provider: 'gl' });
  });

  it.each([
    ['gl/https://gitlab.com/group/project', 'gl/group%2Fproject/HEAD'],
    ['gl/https%3A%2F%2Fgitlab.com%2Fgroup%2Fproject%2F-%2Ftree%2Fdev', 'gl/group%2Fproject/dev'],
    ['gl/gitlab.com/group/sub/project/-/tree/main', 'gl/group%2Fsub%2Fproject/main'],
    // GitLab's web pages: the ref they show, never the file path after it.
    [
      'gl/https://gitlab.com/group/project/-/blob/main/notebooks/a.ipynb',
      'gl/group%2Fproject/main',
    ],
    ['gl/https://gitlab.com/group/project/-/commit/0123abc', 'gl/group%2Fproject/0123abc'],
    ['gl/https://gitlab.com/group/project/-/tags/v1', 'gl/group%2Fproject/v1'],
    ['gl/https://gitlab.com/group/project/-/releases/v1', 'gl/group%2Fproject/v1'],
    [
      'gl/https://gitlab.com/group/project/-/merge_requests/5',
      'gl/group%2Fproject/refs%2Fmerge-requests%2F5%2Fhead',
    ],
    ['gl/https://gitlab.com/group/project/-/issues/3', 'gl/group%2Fproject/HEAD'],
  ])('%s: says gl/ takes no URL and shows %s', (text, form) => {
    const message = problemWith(text);
    expect(message).toContain("gl/ takes a GitLab project's URL-escaped namespace, not its URL");
    expect(message).toContain(`write ${form}`);
    expect(parseRepoSpec(form)).toMatchObject({ provider: 'gl' });
  });

  it('keeps namespaces with dots as namespaces', () => {
    expect(parseRepoSpec('gl/my.group%2Fproject/main')).toEqual({
      provider: 'gl',
      namespace: 'my.group/project',
      ref: 'main',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { decodeComponent, validateGitUrl, validateLocalName, validateRef } from './validate.js';

const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof HttpError ? error.status : 'not an HttpError';
  }
  return 'accepted';
};

describe('validateRef', () => {
  it.each([
    'main',
    'HEAD',
    'v1.2.3',
    'feature/login',
    'refs/heads/main',
    'a'.repeat(40),
    'release-2024_01',
  ])('accepts %s', (ref) => expect(validateRef(ref)).toBe(ref));

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
  ])('refuses %j (%s) with 400', (ref) => {
    expect(status(() => validateRef(ref))).toBe(400);
  });
});

describe('validateGitUrl', () => {
  const open = { allowFileUrls: true };
  const closed = { allowFileUrls: false };

  it('accepts http(s) clone URLs', () => {
    expect(validateGitUrl('https://github.com/org/repo.git', closed).href).toBe(
      'https://github.com/org/repo.git',
    );
    expect(validateGitUrl('http://127.0.0.1:9418/repo', closed).host).toBe('127.0.0.1:9418');
  });

  it('accepts file:// URLs only when allowed', () => {
    expect(validateGitUrl('file:///srv/repos/a', open).pathname).toBe('/srv/repos/a');
    expect(status(() => validateGitUrl('file:///srv/repos/a', closed))).toBe(403);
    expect(status(() => validateGitUrl('file://otherhost/srv/a', open))).toBe(400);
  });

  it.each([
    'ext::sh -c touch% /tmp/pwned',
    'ext::git-upload-pack',
    'ssh://git@github.com/org/repo',
    'git://github.com/org/repo',
    'fd::17',
    '--upload-pack=touch /tmp/pwned',
    '-oProxyCommand=evil',
    'github.com/org/repo',
    '/srv/repos/a',
    'https://user:secret@github.com/org/repo',
    'https://github.com/org/repo#frag',
    'https://github.com/org repo',
    'https://',
  ])('refuses %j with 400', (url) => {
    expect(status(() => validateGitUrl(url, open))).toBe(400);
  });
});

describe('validateLocalName', () => {
  it.each(['quickstart', 'book-2', 'a.b_c'])('accepts %s', (name) => {
    expect(validateLocalName(name)).toBe(name);
  });

  it.each(['../etc', '..', 'a/b', '.hidden', '', 'a b', '%2e%2e', 'a'.repeat(101), 'x..y'])(
    'refuses %j with 400',
    (name) => expect(status(() => validateLocalName(name))).toBe(400),
  );
});

describe('decodeComponent', () => {
  it('decodes escapes and refuses malformed ones', () => {
    expect(decodeComponent('https%3A%2F%2Fexample.org', 'URL')).toBe('https://example.org');
    expect(status(() => decodeComponent('%E0%A4%A', 'URL'))).toBe(400);
  });
});

import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { validateGitUrl } from './validate.js';

const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof HttpError ? error.status : 'not an HttpError';
  }
  return 'accepted';
};

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

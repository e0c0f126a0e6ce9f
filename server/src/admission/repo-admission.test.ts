import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { RepoAdmission } from './repo-admission.js';
import { parseConfig } from '../config.js';
import type { ConfigInput } from '../config.js';
import { sessionRepoName } from './repo-name.js';

function admission(settings: ConfigInput['admission'], running: string[] = []): RepoAdmission {
  return new RepoAdmission(parseConfig({ admission: settings }).admission, () => running);
}

function refusal(admit: () => unknown): HttpError {
  try {
    admit();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('the launch was admitted');
}

describe('repository names', () => {
  it.each([
    ['gh/org/repo/0123456789012345678901234567890123456789', 'gh/org/repo'],
    ['gl/group%2Fproject/main', 'gl/group/project'],
    ['git/https%3A%2F%2Fgit.example.org%2Fbook.git%2F/v1', 'git/https://git.example.org/book'],
    ['git/HTTPS%3A%2F%2FGit.Example.org%2Fbook%3Fx%3D1/v1', 'git/https://git.example.org/book'],
    ['local/quickstart', 'local/quickstart'],
    ['image/python:3.12', 'image/python:3.12'],
  ])('names %s as %s', (spec, name) => {
    expect(sessionRepoName(spec)).toBe(name);
  });
});

describe('RepoAdmission', () => {
  it("refuses a banned repository with 403 and the operator's message, however it is spelled", () => {
    const rules = admission({
      banned: [
        { pattern: 'gh/spam-org/*', message: 'it mines coins, see https://example.org/ban' },
      ],
    });
    for (const repo of ['gh/spam-org/miner', 'gh/SPAM-ORG/Miner/main', 'gh/spam-org/miner.git']) {
      const error = refusal(() => rules.admit({ repo }));
      expect(error.status).toBe(403);
      expect(error.message).toContain('it mines coins, see https://example.org/ban');
    }
    expect(() => rules.admit({ repo: 'gh/good-org/book' })).not.toThrow();
  });

  it('bans git URLs by their normalised URL', () => {
    const rules = admission({
      banned: [{ pattern: 'git/https://bad.example.org/**', message: 'not this host' }],
    });
    const spec = `git/${encodeURIComponent('https://BAD.example.org/a/b.git')}/main`;
    expect(refusal(() => rules.admit({ repo: spec })).message).toContain('not this host');
  });

  it('launches only allowed repositories when an allow-list is given', () => {
    const rules = admission({ allowed: ['gh/course-org/*', 'local/*'] });
    expect(() => rules.admit({ repo: 'gh/course-org/week1' })).not.toThrow();
    expect(() => rules.admit({ repo: 'local/quickstart' })).not.toThrow();
    const error = refusal(() => rules.admit({ repo: 'gh/other/repo' }));
    expect(error.status).toBe(403);
    expect(error.message).toBe('gh/other/repo is not among the repositories this server launches');
    expect(refusal(() => rules.admit({ image: 'python:3.12' })).status).toBe(403);
  });

  it('refuses a spec outside the grammar with 400 before any rule', () => {
    expect(refusal(() => admission({}).admit({ repo: 'svn/org/repo' })).status).toBe(400);
  });

  it('holds each repository to the first quota matching it, counting running sessions and launches under way', () => {
    const running = ['gh/org/book/0123456789012345678901234567890123456789'];
    const quotas = admission(
      {
        quotas: [
          { pattern: 'gh/org/book', maxSessions: 2 },
          { pattern: '**', maxSessions: 1 },
        ],
      },
      running,
    );
    const release = quotas.admit({ repo: 'gh/org/book' });
    const error = refusal(() => quotas.admit({ repo: 'gh/ORG/book/main' }));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/^gh\/org\/book already has its maximum of 2 sessions/i);
    expect(error.message).toContain('admission.quotas, pattern "gh/org/book"');
    release();
    release();
    expect(() => quotas.admit({ repo: 'gh/org/book' })).not.toThrow();
    // Another repository has its own count under the catch-all quota.
    expect(() => quotas.admit({ repo: 'gh/org/other' })).not.toThrow();
    expect(refusal(() => quotas.admit({ repo: 'gh/org/other' })).status).toBe(503);
  });
});

describe('admission configuration', () => {
  it('refuses a CIDR range that is not one', () => {
    expect(() => parseConfig({ admission: { allowPrivateGitHosts: ['10.0.0.0/33'] } })).toThrow(
      '"10.0.0.0/33" is no address, CIDR range or host name',
    );
    // Client addresses are compared with these: a name would never match.
    for (const entry of ['nonsense/8', 'localhost', '10.0.0.300']) {
      expect(() => parseConfig({ admission: { rateLimit: { exempt: [entry] } } })).toThrow(
        `${JSON.stringify(entry)} is no IP address or CIDR range`,
      );
    }
    expect(() => parseConfig({ admission: { rateLimit: { exempt: ['10.0.0.0/99'] } } })).toThrow(
      '"10.0.0.0/99" is no IP address',
    );
    const admission = parseConfig({
      admission: { allowPrivateGitHosts: ['git.internal', '10.0.0.0/8', 'fd00::/8', '::1'] },
    }).admission;
    expect(admission.allowPrivateGitHosts).toEqual([
      'git.internal',
      '10.0.0.0/8',
      'fd00::/8',
      '::1',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { launchPhaseOf, toBinderHubEvents } from './binderhub.js';

const request = {
  launchHost: 'https://binder.example.org/',
  spec: 'git/https%3A%2F%2Fx.org%2Fr.git/main',
};

describe('toBinderHubEvents', () => {
  it('turns build output into building messages ending in a newline', () => {
    expect(toBinderHubEvents({ phase: 'building', log: 'Collecting numpy' }, request)).toEqual([
      { phase: 'building', message: 'Collecting numpy\n' },
    ]);
  });

  it('announces the image as built before launching', () => {
    expect(
      toBinderHubEvents({ phase: 'launching', message: 'Starting', image: 'venv:abc' }, request),
    ).toEqual([
      { phase: 'built', imageName: 'venv:abc', message: 'Found built image, launching...\n' },
      { phase: 'launching', message: 'Starting\n' },
    ]);
  });

  it('reports resolving as fetching, which BinderHub clients know', () => {
    expect(toBinderHubEvents({ phase: 'resolving', message: 'Resolving' }, request)).toEqual([
      { phase: 'fetching', message: 'Resolving\n' },
    ]);
  });

  it('gives failures a status_code', () => {
    expect(
      toBinderHubEvents({ phase: 'failed', status: 404, message: 'no such ref' }, request),
    ).toEqual([{ phase: 'failed', status_code: 404, message: 'no such ref\n' }]);
  });

  it("fills ready with BinderHub's fields", () => {
    const [ready] = toBinderHubEvents(
      {
        phase: 'ready',
        sessionId: 's',
        url: 'https://binder.example.org/sessions/s/',
        wsUrl: 'wss://binder.example.org/sessions/s/',
        token: 't',
        kernel: 'python3',
        expiresAt: '2030-01-01T00:00:00.000Z',
        image: 'venv:abc',
        repo: 'git/https%3A%2F%2Fx.org%2Fr.git/0123',
        ref: '0123',
        repoUrl: 'https://x.org/r.git',
        refUrl: 'https://x.org/r/tree/0123',
      },
      request,
    );
    expect(ready).toMatchObject({
      phase: 'ready',
      message: 'server running at https://binder.example.org/sessions/s/\n',
      url: 'https://binder.example.org/sessions/s/',
      token: 't',
      image: 'venv:abc',
      repo_url: 'https://x.org/r.git',
      binder_ref_url: 'https://x.org/r/tree/0123',
      binder_launch_host: 'https://binder.example.org/',
      binder_request: 'v2/git/https%3A%2F%2Fx.org%2Fr.git/main',
      binder_persistent_request: 'v2/git/https%3A%2F%2Fx.org%2Fr.git/0123',
    });
  });
});

describe('launchPhaseOf', () => {
  it.each([
    ['waiting', 'waiting'],
    ['Fetching', 'fetching'],
    ['pushing', 'building'],
    ['built', 'launching'],
    ['launching', 'launching'],
    ['unknown', 'building'],
    [undefined, 'building'],
  ])('reads %s as %s', (phase, expected) => {
    expect(launchPhaseOf(phase)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { LABELS, listedFromLabels, sessionLabels } from './labels.js';

describe('session labels', () => {
  it('carry the instance and read back as the session they describe', () => {
    const session = {
      id: '0aa2ff6b-2290-413d-8d87-cd2359cef302',
      tokenHash: 'ab',
      kernel: 'python3',
      repo: 'gh/org/book/0123',
      ref: '0123',
      repoUrl: 'https://github.com/org/book',
      refUrl: 'https://github.com/org/book/tree/0123',
      createdAt: 1000,
    };
    const labels = sessionLabels('bc-one', session, 'binder-cell-session:01', 5000);
    expect(labels[LABELS.instance]).toBe('bc-one');
    const image = { id: 'sha256:01', name: 'binder-cell-session:01' };
    expect(listedFromLabels(labels, image, true)).toEqual({
      session,
      image,
      expiresAt: 5000,
      running: true,
    });
  });

  it('mark the sessions of a warm pool with its key', () => {
    const session = {
      id: 's',
      tokenHash: 'ab',
      kernel: 'python3',
      repo: 'local/book',
      ref: 'local-01',
      repoUrl: 'local/book',
      refUrl: 'local/book',
      createdAt: 1000,
      pool: '["local/book","python3"]',
    };
    const labels = sessionLabels('bc-one', session, 'img', 5000);
    expect(labels[LABELS.pool]).toBe(session.pool);
    expect(listedFromLabels(labels, { id: 'i', name: 'img' }, true).session).toEqual(session);
  });
});

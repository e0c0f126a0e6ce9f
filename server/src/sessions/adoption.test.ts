import { afterEach, describe, expect, it } from 'vitest';
import type { ListedSession } from '../backends/types.js';
import { createLogger } from '../logger.js';
import { fakeBackend } from '../test-support/fake-backend.js';
import { adoptSessions } from './adoption.js';
import { SessionRegistry } from './registry.js';

const now = 1_000_000;
const logger = createLogger('silent');
const registries: SessionRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((registry) => registry.endAll('test finished')));
});

function listed(id: string, changes: Partial<ListedSession> = {}): ListedSession {
  return {
    session: {
      id,
      tokenHash: 'ab',
      kernel: 'python3',
      repo: 'gh/org/book/0123',
      ref: '0123',
      repoUrl: 'https://github.test/org/book',
      refUrl: 'https://github.test/org/book/tree/0123',
      createdAt: now - 60_000,
    },
    image: { id: 'sha256:01', name: 'binder-cell-session:01' },
    expiresAt: now + 60_000,
    running: true,
    ...changes,
  };
}

function registry(): SessionRegistry {
  const made = new SessionRegistry({ idleMs: 1000, maxAgeMs: 3_600_000, maxSessions: 8 }, logger);
  registries.push(made);
  return made;
}

describe('adoptSessions', () => {
  it('adopts running sessions within their age and removes the others', async () => {
    const backend = fakeBackend({
      persistent: true,
      listed: [
        listed('live'),
        listed('expired', { expiresAt: now - 1 }),
        listed('exited', { running: false }),
        listed('evicted', { running: false, stoppedBecause: 'its node evicted it' }),
      ],
    });
    const sessions = registry();
    await adoptSessions(backend, sessions, logger, now);
    expect(sessions.list().map((session) => session.id)).toEqual(['live']);
    expect(sessions.get('live')).toMatchObject({
      tokenHash: 'ab',
      repo: 'gh/org/book/0123',
      image: { name: 'binder-cell-session:01' },
      lastActivity: now,
    });
    expect(backend.removed.sort()).toEqual(['evicted', 'exited', 'expired']);
    expect(sessions.ended.reasonFor('exited')).toBe('its kernel server stopped');
    expect(sessions.ended.reasonFor('evicted')).toBe(
      'its kernel server stopped: its node evicted it',
    );
    expect(sessions.ended.reasonFor('expired')).toBe('maximum age reached');
    expect(sessions.ended.reasonFor('live')).toBeUndefined();
  });

  it('removes a session it cannot reconnect to', async () => {
    const backend = fakeBackend({ persistent: true, listed: [listed('unreadable')] });
    backend.adopt = () => Promise.reject(new Error('the container has no token'));
    const sessions = registry();
    await adoptSessions(backend, sessions, logger, now);
    expect(sessions.size).toBe(0);
    expect(backend.removed).toEqual(['unreadable']);
    expect(sessions.ended.reasonFor('unreadable')).toBe(
      'its kernel server did not answer after a server restart',
    );
  });
});

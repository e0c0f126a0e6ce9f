import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { cullSessions } from './culler.js';
import { SessionRegistry } from './registry.js';
import type { Session } from './registry.js';
import { fakeSession } from '../test-support/fake-session.js';

function session(id: string, createdAt: number, lastActivity: number): Session {
  return fakeSession({ id, createdAt, lastActivity });
}

describe('cullSessions', () => {
  const limits = { idleMs: 1000, maxAgeMs: 10_000, maxSessions: 10 };
  const now = 100_000;

  it('ends idle sessions and those past their maximum age', async () => {
    const registry = new SessionRegistry(limits, pino({ level: 'silent' }));
    registry.add(session('busy', now - 5000, now - 10));
    registry.add(session('idle', now - 5000, now - 2000));
    registry.add(session('old', now - 20_000, now - 10));
    const culled = await cullSessions(registry, () => Promise.resolve(undefined), now);
    expect(culled.sort()).toEqual(['idle', 'old']);
    expect(registry.list().map((s) => s.id)).toEqual(['busy']);
  });

  it('keeps a session whose kernel has been working without proxy traffic', async () => {
    const registry = new SessionRegistry(limits, pino({ level: 'silent' }));
    const computing = session('computing', now - 5000, now - 2000);
    registry.add(computing);
    const culled = await cullSessions(registry, () => Promise.resolve(now - 100), now);
    expect(culled).toEqual([]);
    expect(computing.lastActivity).toBe(now - 100);
    expect(registry.expiresAt(computing).getTime()).toBe(now - 100 + limits.idleMs);
  });
});

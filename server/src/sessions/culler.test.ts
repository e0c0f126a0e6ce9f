import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { KernelServer } from '../spawn/types.js';
import { cullSessions } from './culler.js';
import { SessionRegistry } from './registry.js';
import type { Session } from './registry.js';

function fakeServer() {
  const server = {
    url: 'http://127.0.0.1:1/',
    token: 'internal',
    exited: new Promise<void>(() => undefined),
    stopped: false,
    stop() {
      server.stopped = true;
      return Promise.resolve();
    },
  };
  return server satisfies KernelServer;
}

function session(id: string, createdAt: number, lastActivity: number): Session {
  return {
    id,
    tokenHash: '00',
    kernel: 'python3',
    repo: 'local/x',
    ref: 'local',
    repoUrl: 'local/x',
    refUrl: 'local/x',
    image: { id: '/env', name: 'venv:x' },
    createdAt,
    lastActivity,
    server: fakeServer(),
  };
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

import type { KernelServer } from '../backends/types.js';
import type { Session } from '../sessions/registry.js';

/** A kernel server that is never reached; `stopped` tells whether it was stopped. */
export function fakeKernelServer() {
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

/** A registry entry for unit tests of the session machinery. */
export function fakeSession(overrides: Partial<Session> & { id: string }): Session {
  const now = Date.now();
  return {
    tokenHash: '00',
    kernel: 'python3',
    repo: 'local/x',
    ref: 'local',
    repoUrl: 'local/x',
    refUrl: 'local/x',
    image: { id: '/env', name: 'venv:x' },
    createdAt: now,
    lastActivity: now,
    server: fakeKernelServer(),
    ...overrides,
  };
}

import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { fakeKernelServer, fakeSession } from '../test-support/fake-session.js';
import { EndedSessions } from './ended-sessions.js';
import { SessionRegistry } from './registry.js';

const limits = { idleMs: 1000, maxAgeMs: 10_000, maxSessions: 2 };
const registry = () => new SessionRegistry(limits, createLogger('silent'));

describe('SessionRegistry', () => {
  it('holds places for launches under way and answers 503 when full', () => {
    const sessions = registry();
    sessions.add(fakeSession({ id: 'a' }));
    const release = sessions.reserve();
    expect(() => sessions.reserve()).toThrow(expect.objectContaining({ status: 503 }));
    release();
    release();
    expect(() => sessions.reserve()).not.toThrow();
  });

  it('ends a session by stopping its kernel server, once', async () => {
    const sessions = registry();
    const server = fakeKernelServer();
    sessions.add(fakeSession({ id: 'a', server }));
    expect(await sessions.end('a', 'test')).toBe(true);
    expect(server.stopped).toBe(true);
    expect(await sessions.end('a', 'test')).toBe(false);
    expect(sessions.size).toBe(0);
  });

  it('ends a session whose kernel server exits on its own, cleaning up after it', async () => {
    const sessions = registry();
    let exit = () => undefined as void;
    const exited = new Promise<void>((resolve) => (exit = resolve));
    let stopped = false;
    const server = {
      ...fakeKernelServer(),
      exited,
      stop: () => {
        stopped = true;
        return Promise.resolve();
      },
    };
    sessions.add(fakeSession({ id: 'a', server }));
    exit();
    await exited;
    await Promise.resolve();
    expect(sessions.get('a')).toBeUndefined();
    expect(stopped).toBe(true);
    expect(sessions.ended.reasonFor('a')).toBe('its kernel server exited');
  });

  it('remembers why sessions ended, the most recent ones only', () => {
    const ended = new EndedSessions(2);
    ended.add('a', 'idle timeout');
    ended.add('b', 'deleted by its client');
    ended.add('c', 'maximum age reached');
    expect(ended.reasonFor('a')).toBeUndefined();
    expect(ended.reasonFor('b')).toBe('deleted by its client');
    expect(ended.reasonFor('c')).toBe('maximum age reached');
  });

  it('expires a session at its idle timeout or its maximum age, whichever comes first', () => {
    const sessions = registry();
    const idle = fakeSession({ id: 'idle', createdAt: 0, lastActivity: 500 });
    const old = fakeSession({ id: 'old', createdAt: 0, lastActivity: 9500 });
    sessions.touch(idle, 400);
    expect(sessions.expiresAt(idle).getTime()).toBe(1500);
    expect(sessions.expiresAt(old).getTime()).toBe(10_000);
  });

  it('forgets sessions without stopping them, for backends whose sessions outlive the server', () => {
    const sessions = registry();
    const server = fakeKernelServer();
    sessions.add(fakeSession({ id: 'a', server }));
    sessions.forgetAll();
    expect(sessions.size).toBe(0);
    expect(server.stopped).toBe(false);
  });
});

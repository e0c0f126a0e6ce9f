import type { IncomingMessage } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SessionRegistry } from '../sessions/registry.js';
import { hashToken } from '../sessions/token.js';
import { fakeSession } from '../test-support/fake-session.js';
import { checkSessionAccess, requestToken } from './session-access.js';

const request = (url: string, authorization?: string) =>
  ({ url, headers: authorization ? { authorization } : {} }) as IncomingMessage;

describe('requestToken', () => {
  it('reads the Authorization header (token or Bearer) or the token query parameter', () => {
    expect(requestToken(request('/x', 'token abc'))).toBe('abc');
    expect(requestToken(request('/x', 'Token abc'))).toBe('abc');
    expect(requestToken(request('/x', 'Bearer abc'))).toBe('abc');
    expect(requestToken(request('/x?token=q%2Bt'))).toBe('q+t');
    expect(requestToken(request('/x', 'Basic dXNlcjpwdw=='))).toBeUndefined();
    expect(requestToken(request('/x'))).toBeUndefined();
  });
});

describe('checkSessionAccess', () => {
  const registry = new SessionRegistry(
    { idleMs: 60_000, maxAgeMs: 3_600_000, maxSessions: 2 },
    pino({ level: 'silent' }),
  );
  registry.add(fakeSession({ id: 's1', tokenHash: hashToken('right') }));

  it('distinguishes missing sessions, missing tokens and wrong tokens', () => {
    expect(checkSessionAccess(registry, 's2', request('/', 'token right'))).toMatchObject({
      status: 404,
    });
    expect(checkSessionAccess(registry, 's1', request('/'))).toMatchObject({ status: 401 });
    expect(checkSessionAccess(registry, 's1', request('/', 'token wrong'))).toMatchObject({
      status: 403,
    });
    expect(checkSessionAccess(registry, 's1', request('/', 'token internal'))).toMatchObject({
      status: 403,
    });
    expect(checkSessionAccess(registry, 's1', request('/', 'token right'))).toMatchObject({
      ok: true,
    });
  });

  it('reserves room for launches and refuses past the maximum with 503', () => {
    const release = registry.reserve();
    expect(() => registry.reserve()).toThrow(expect.objectContaining({ status: 503 }) as Error);
    release();
    release();
    expect(registry.reserve()).toBeTypeOf('function');
  });
});

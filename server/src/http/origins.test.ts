import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_ORIGINS, OriginPolicy, requestOrigin } from './origins.js';

const request = (headers: Record<string, string>) =>
  ({ headers, socket: {} }) as unknown as IncomingMessage;

describe('OriginPolicy', () => {
  const ownHost = request({ host: 'binder.example.org' });

  it('allows the server itself and localhost on any port by default', () => {
    const policy = new OriginPolicy(DEFAULT_ALLOWED_ORIGINS, false);
    expect(policy.allows('http://binder.example.org', ownHost)).toBe(true);
    expect(policy.allows('http://localhost:4000', ownHost)).toBe(true);
    expect(policy.allows('http://localhost', ownHost)).toBe(true);
    expect(policy.allows('http://127.0.0.1:8000', ownHost)).toBe(true);
    expect(policy.allows('http://localhost.evil.example:80', ownHost)).toBe(false);
    expect(policy.allows('http://localhost:80.evil.example', ownHost)).toBe(false);
    expect(policy.allows('https://book.example.org', ownHost)).toBe(false);
  });

  it('allows exactly the configured origins, or any with *', () => {
    const policy = new OriginPolicy(['https://book.example.org'], false);
    expect(policy.allows('https://book.example.org', ownHost)).toBe(true);
    expect(policy.allows('http://localhost:4000', ownHost)).toBe(false);
    expect(new OriginPolicy(['*'], false).allows('https://anything.example', ownHost)).toBe(true);
  });

  it('lets requests without an Origin through (curl, servers)', () => {
    expect(new OriginPolicy([], false).allowsRequest(request({ host: 'x' }))).toBe(true);
    expect(
      new OriginPolicy([], false).allowsRequest(request({ host: 'x', origin: 'http://y' })),
    ).toBe(false);
  });
});

describe('requestOrigin', () => {
  it('uses forwarded headers only behind a trusted proxy', () => {
    const req = request({
      host: 'internal:8080',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'binder.example.org',
    });
    expect(requestOrigin(req, false)).toBe('http://internal:8080');
    expect(requestOrigin(req, true)).toBe('https://binder.example.org');
  });
});

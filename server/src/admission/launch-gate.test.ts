import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import type { ConfigInput } from '../config.js';
import { HttpError } from '../errors.js';
import { LaunchGate } from './launch-gate.js';

const KEY = 'k3y-0123456789abcdef';

function gate(settings: ConfigInput['admission']): LaunchGate {
  return new LaunchGate(parseConfig({ admission: settings }).admission);
}

function request(url: string, authorization?: string): IncomingMessage {
  return { url, headers: authorization ? { authorization } : {} } as IncomingMessage;
}

async function refusal(pass: Promise<void>): Promise<HttpError> {
  const error = await pass.then(
    () => new Error('the request was let through'),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof HttpError)) throw error;
  return error;
}

describe('LaunchGate: API keys', () => {
  const keyed = gate({ apiKeys: [KEY], rateLimit: { launches: 0 } });

  it('lets through a launch carrying a key, as Bearer or token', async () => {
    await expect(
      keyed.pass(request('/', `Bearer ${KEY}`), '1.2.3.4', { query: false }),
    ).resolves.toBeUndefined();
    await expect(
      keyed.pass(request('/', `token ${KEY}`), '1.2.3.4', { query: false }),
    ).resolves.toBeUndefined();
  });

  it('refuses a launch without a key, or with a wrong one, with 401 and WWW-Authenticate', async () => {
    for (const req of [
      request('/'),
      request('/', `Bearer ${KEY}x`),
      request('/', `Basic ${Buffer.from(`u:${KEY}`).toString('base64')}`),
      request(`/build/gh/org/repo?key=${KEY}`),
    ]) {
      const error = await refusal(keyed.pass(req, '1.2.3.4', { query: false }));
      expect(error.status).toBe(401);
      expect(error.headers['WWW-Authenticate']).toMatch(/^Bearer realm="binder-cell"/);
    }
  });

  it('takes the key from the query only where the route allows it', async () => {
    await expect(
      keyed.pass(request(`/build/gh/org/repo?key=${KEY}`), '1.2.3.4', { query: true }),
    ).resolves.toBeUndefined();
  });

  it('needs no key when none is configured', async () => {
    await expect(gate({}).pass(request('/'), '1.2.3.4', { query: false })).resolves.toBeUndefined();
  });
});

describe('LaunchGate: rate limit', () => {
  it('allows the configured launches per period, then 429 with Retry-After', async () => {
    const limited = gate({ rateLimit: { launches: 2, periodSeconds: 3600 } });
    await limited.pass(request('/'), '203.0.113.7', { query: false });
    await limited.pass(request('/'), '203.0.113.7', { query: false });
    const error = await refusal(limited.pass(request('/'), '203.0.113.7', { query: false }));
    expect(error.status).toBe(429);
    expect(error.message).toContain('this server allows 2 per hour (admission.rateLimit)');
    expect(Number(error.headers['Retry-After'])).toBeGreaterThan(3500);
    expect(Number(error.headers['Retry-After'])).toBeLessThanOrEqual(3600);
    // Another address has its own count.
    await expect(
      limited.pass(request('/'), '203.0.113.8', { query: false }),
    ).resolves.toBeUndefined();
  });

  it('counts IPv6 clients by their /64 and IPv4-mapped clients as IPv4', async () => {
    const limited = gate({ rateLimit: { launches: 1 } });
    await limited.pass(request('/'), '2001:db8:1:2::1', { query: false });
    expect(
      (await refusal(limited.pass(request('/'), '2001:db8:1:2::ffff', { query: false }))).status,
    ).toBe(429);
    await limited.pass(request('/'), '198.51.100.1', { query: false });
    expect(
      (await refusal(limited.pass(request('/'), '::ffff:198.51.100.1', { query: false }))).status,
    ).toBe(429);
  });

  it('exempts loopback by default and what the operator lists; launches: 0 turns it off', async () => {
    const limited = gate({ rateLimit: { launches: 1, exempt: ['127.0.0.0/8', '10.0.0.0/8'] } });
    for (let i = 0; i < 3; i += 1) {
      await limited.pass(request('/'), '127.0.0.1', { query: false });
      await limited.pass(request('/'), '10.2.3.4', { query: false });
    }
    const defaults = gate({ rateLimit: { launches: 1 } });
    await defaults.pass(request('/'), '::1', { query: false });
    await defaults.pass(request('/'), '::1', { query: false });
    const off = gate({ rateLimit: { launches: 0 } });
    for (let i = 0; i < 20; i += 1) await off.pass(request('/'), '203.0.113.9', { query: false });
  });
});

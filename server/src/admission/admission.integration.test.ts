import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../server.js';
import { execute, startKernel } from '../test-support/kernel-client.js';
import { readDataLines } from '../test-support/launch-client.js';
import { startTestServer } from '../test-support/server.js';
import { tempFolder } from '../test-support/temp-folder.js';

const KEY = 'integration-key-0123456789';

/** Admission on the real path: a real server, the local backend, real kernels. */
describe('admission on a real server', () => {
  let server: BinderCellServer;

  beforeAll(async () => {
    const book = await tempFolder({ 'data.txt': 'admitted\n' });
    server = await startTestServer({
      repos: { local: { book, banned: book } },
      admission: {
        apiKeys: [KEY],
        // The test's client is 127.0.0.1, exempt by default.
        rateLimit: { launches: 3, periodSeconds: 600, exempt: [] },
        banned: [{ pattern: 'local/banned', message: 'closed for the holidays' }],
        quotas: [{ pattern: 'local/*', maxSessions: 1 }],
      },
    });
  });
  afterAll(() => server?.close());

  const post = (repo: string, headers: Record<string, string> = {}) =>
    fetch(new URL('api/v1/launch', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ repo }),
    });
  const lastEvent = async (response: Response) =>
    parseLaunchEvent((await readDataLines(response)).at(-1) ?? '');
  const withKey = { authorization: `Bearer ${KEY}` };

  it('asks for the key, launches with it, then applies the quota, the ban and the rate limit', async () => {
    const keyless = await post('local/book');
    expect(keyless.status).toBe(401);
    expect(keyless.headers.get('www-authenticate')).toContain('Bearer');

    const ready = await lastEvent(await post('local/book', withKey));
    if (ready.phase !== 'ready') throw new Error(`not ready: ${JSON.stringify(ready)}`);
    const { kernel, dispose } = await startKernel(ready);
    try {
      expect((await execute(kernel, "print(open('data.txt').read(), end='')")).stdout).toBe(
        'admitted\n',
      );
    } finally {
      dispose();
    }

    const overQuota = await post('local/book', withKey);
    expect(overQuota.status).toBe(503);
    expect(await lastEvent(overQuota)).toMatchObject({
      phase: 'failed',
      status: 503,
      message: expect.stringContaining('maximum of 1 sessions') as string,
    });

    const banned = await post('local/banned', withKey);
    expect(banned.status).toBe(403);
    expect(await lastEvent(banned)).toMatchObject({
      message: expect.stringContaining('closed for the holidays') as string,
    });

    const limited = await fetch(new URL(`build/local/book?key=${KEY}`, server.url), {
      headers: { accept: 'text/event-stream' },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(await lastEvent(limited)).toMatchObject({
      message: expect.stringContaining('admission.rateLimit') as string,
    });
  });
});

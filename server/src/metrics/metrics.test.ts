import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp } from '../test-support/app.js';
import type { TestApp } from '../test-support/app.js';
import { fakeProviders } from '../test-support/fake-providers.js';
import { launch, launchReady } from '../test-support/launch-client.js';
import { captureLogs } from '../test-support/log-capture.js';
import { readMetrics, sampleValue } from '../test-support/metrics-text.js';
import { tempFolder } from '../test-support/temp-folder.js';

/** Sends one frame through the proxy's WebSocket and waits for the fake kernel server's echo. */
function echo(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('open', () => socket.send('ping'));
    socket.on('message', () => {
      socket.close();
      resolve();
    });
    socket.on('error', reject);
  });
}

describe('/metrics after launches through the real app over a fake backend', () => {
  let app: TestApp;
  let ready: ReadyEvent;
  let text: string;

  beforeAll(async () => {
    const repoDir = await tempFolder({ 'README.md': 'metrics\n' });
    app = await startTestApp({ providers: fakeProviders({ github: { 'org/book': repoDir } }) });
    ready = await launchReady(app.url, { repo: 'gh/org/book/main' });
    await launchReady(app.url, { repo: 'gh/org/book/other' });
    await launch(app.url, { repo: 'gh/org/book/missing' });
    const started = await fetch(new URL('api/kernels', ready.url), {
      method: 'POST',
      headers: { authorization: `token ${ready.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'python3' }),
    });
    await started.arrayBuffer();
    await echo(`${ready.wsUrl}api/kernels/k/channels?token=${ready.token}`);
    app.app.metrics.countPoolSessions(() => [
      { pool: 'gh/org/book/main', kernel: 'python3', sessions: 3 },
    ]);
    text = await readMetrics(app.url);
  });
  afterAll(() => app?.close());

  it('counts launches by outcome and provider, and times them', () => {
    const ready = { outcome: 'ready', provider: 'gh' };
    expect(sampleValue(text, 'binder_cell_launches_total', ready)).toBe(2);
    expect(sampleValue(text, 'binder_cell_launch_duration_seconds_count', ready)).toBe(2);
    const refused = { outcome: 'refused', provider: 'gh' };
    expect(sampleValue(text, 'binder_cell_launches_total', refused)).toBe(1);
  });

  it('times builds, telling a build from a reused image', () => {
    const count = 'binder_cell_build_duration_seconds_count';
    expect(sampleValue(text, count, { outcome: 'built', provider: 'gh' })).toBe(1);
    expect(sampleValue(text, count, { outcome: 'reused', provider: 'gh' })).toBe(1);
  });

  it('reports running sessions by backend, and pool sizes as the pools report them', () => {
    expect(sampleValue(text, 'binder_cell_sessions', { backend: 'fake' })).toBe(2);
    expect(
      sampleValue(text, 'binder_cell_pool_sessions', {
        pool: 'gh/org/book/main',
        kernel: 'python3',
      }),
    ).toBe(3);
  });

  it('counts proxied requests and WebSockets and the bytes each way', () => {
    for (const kind of ['http', 'websocket']) {
      expect(sampleValue(text, 'binder_cell_proxy_connections_total', { kind })).toBe(1);
      for (const direction of ['to_kernel', 'from_kernel']) {
        expect(
          sampleValue(text, 'binder_cell_proxy_bytes_total', { kind, direction }),
        ).toBeGreaterThan(0);
      }
    }
    expect(sampleValue(text, 'binder_cell_proxy_connections', { kind: 'http' })).toBe(0);
  });

  it("includes Node's process metrics", () => {
    expect(sampleValue(text, 'binder_cell_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('keeps the figures of two apps in one process apart', async () => {
    const other = await startTestApp();
    try {
      const otherText = await readMetrics(other.url);
      expect(sampleValue(otherText, 'binder_cell_launches_total')).toBeUndefined();
      expect(sampleValue(otherText, 'binder_cell_sessions', { backend: 'fake' })).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('who may read /metrics', () => {
  it('asks for the operator token when one is configured', async () => {
    const token = 'metrics-token-0123456789';
    const app = await startTestApp({ config: { metrics: { token } } });
    try {
      const url = new URL('metrics', app.url);
      const without = await fetch(url);
      expect(without.status).toBe(401);
      expect(without.headers.get('www-authenticate')).toContain('Bearer');
      const wrong = await fetch(url, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      expect(await readMetrics(app.url, token)).toContain('binder_cell_sessions');
    } finally {
      await app.close();
    }
  });

  it('answers 404 when metrics are turned off', async () => {
    const app = await startTestApp({ config: { metrics: { enabled: false } } });
    try {
      expect((await fetch(new URL('metrics', app.url))).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('launches refused before they begin, in /metrics and the logs', () => {
  const logs = captureLogs('info');
  let app: TestApp;
  const key = 'k'.repeat(24);
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(new URL('api/v1/launch', app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      body,
    });

  beforeAll(async () => {
    app = await startTestApp({
      config: {
        trustProxy: true,
        admission: { apiKeys: [key], rateLimit: { launches: 1, exempt: [] } },
      },
      logger: logs.logger,
    });
  });
  afterAll(() => app?.close());

  it('counts and logs refusals by origin, API key, rate limit and body, as launches refused later are', async () => {
    const spec = JSON.stringify({ repo: 'gh/org/book/missing' });
    const client = { 'x-forwarded-for': '203.0.113.5' };
    expect((await post(spec, { authorization: 'Bearer wrong-key-wrong-key' })).status).toBe(401);
    expect((await post(spec, { origin: 'https://elsewhere.example' })).status).toBe(403);
    expect((await post('{"repo": ', client)).status).toBe(400);
    expect((await post(JSON.stringify({ repo: 'x'.repeat(20_000) }))).status).toBe(413);
    expect((await post(spec, client)).status).toBe(404);
    const limited = await post(spec, client);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);

    const text = await readMetrics(app.url);
    const refused = (provider: string) =>
      sampleValue(text, 'binder_cell_launches_total', { outcome: 'refused', provider });
    // 401, 403 and 429 named gh/...; the 404 of the launch let through too.
    expect(refused('gh')).toBe(4);
    expect(refused('unknown')).toBe(2);
    const statuses = logs
      .records()
      .filter((line) => line.stage === 'failed')
      .map((line) => line.status);
    expect(statuses.sort()).toEqual([400, 401, 403, 404, 413, 429]);
  });
});

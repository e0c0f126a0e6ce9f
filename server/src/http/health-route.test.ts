import type { HealthInfo } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSED_WHILE_STOPPING } from '../launch/shutdown.js';
import { VERSION } from '../version.js';
import { startTestApp } from '../test-support/app.js';
import type { TestApp } from '../test-support/app.js';

describe('GET /health, /ready and /versions with a fake backend', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  const get = (path: string) => fetch(new URL(path, app.url));

  it('answers ok while the backend can launch', async () => {
    app.backend.healthy = { ok: true };
    const response = await get('health');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      status: 'ok',
      backend: 'fake',
      sessions: 0,
      pooled: 0,
      version: VERSION,
    } satisfies HealthInfo);
  });

  it('answers 503 with the problem while it cannot, so clients pick another server', async () => {
    app.backend.healthy = { ok: false, problem: 'the Docker engine does not answer' };
    const response = await get('health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'unavailable',
      problem: 'the Docker engine does not answer',
    });
    app.backend.healthy = { ok: true };
  });

  it('stays ready to serve sessions (GET /ready 200) while the backend cannot launch, so a readiness probe keeps running sessions reachable', async () => {
    app.backend.healthy = { ok: false, problem: 'the Kubernetes API server does not answer' };
    try {
      expect((await get('health')).status).toBe(503);
      const ready = await get('ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok' });
    } finally {
      app.backend.healthy = { ok: true };
    }
  });

  it('answers 503 `stopping` once shutdown begins, so a load balancer sends readers elsewhere', async () => {
    const stopping = await startTestApp();
    try {
      await stopping.app.stopLaunches();
      const response = await fetch(new URL('health', stopping.url));
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'stopping',
        problem: REFUSED_WHILE_STOPPING,
      });
      const ready = await fetch(new URL('ready', stopping.url));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'stopping' });
    } finally {
      await stopping.close();
    }
  });

  it("names the server's and the builder's versions", async () => {
    expect(await (await get('versions')).json()).toEqual({
      binderCell: VERSION,
      builder: 'fake/1',
    });
  });
});

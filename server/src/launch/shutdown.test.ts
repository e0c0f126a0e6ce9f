import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../test-support/app.js';
import { fakeBackend } from '../test-support/fake-backend.js';
import { fakeProviders } from '../test-support/fake-providers.js';
import { launchReady } from '../test-support/launch-client.js';
import { openLaunch } from '../test-support/launch-stream.js';
import { tempFolder } from '../test-support/temp-folder.js';
import { INTERRUPTED_BY_STOP, LaunchShutdown, REFUSED_WHILE_STOPPING } from './shutdown.js';

describe('LaunchShutdown', () => {
  it('refuses launches with 503 once stopping, and waits for those under way', async () => {
    const shutdown = new LaunchShutdown();
    expect(() => shutdown.refuseIfStopping()).not.toThrow();
    let finish = () => undefined as void;
    const running = shutdown.track(new Promise<void>((resolve) => (finish = resolve)));
    let stopped = false;
    const stopping = shutdown.stop(60_000).then(() => (stopped = true));
    expect(shutdown.signal.reason).toMatchObject({ status: 503, message: INTERRUPTED_BY_STOP });
    expect(() => shutdown.refuseIfStopping()).toThrow(
      expect.objectContaining({ status: 503, message: REFUSED_WHILE_STOPPING }),
    );
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await running;
    await stopping;
    expect(stopped).toBe(true);
  });
});

describe('an app shutting down with fake parts', () => {
  it('fails launches under way with 503 and refuses new ones meanwhile', async () => {
    const repoDir = await tempFolder({ 'README.md': 'book\n' });
    const other = await tempFolder({ 'requirements.txt': 'numpy\n' });
    const backend = fakeBackend({ persistent: true, buildGate: new Promise(() => undefined) });
    const started = await startTestApp({
      backend,
      providers: fakeProviders({ github: { 'org/book': repoDir, 'org/stuck': other } }),
    });
    const { url, app } = started;
    try {
      const stuck = await openLaunch(url, { repo: 'gh/org/stuck/main' });
      await stuck.until((event) => event.phase === 'building');

      const closing = app.close();
      const { event } = await stuck.until((found) => found.phase === 'failed');
      expect(event).toEqual({ phase: 'failed', status: 503, message: INTERRUPTED_BY_STOP });

      const refused = await fetch(new URL('api/v1/launch', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ repo: 'gh/org/book/main' }),
      });
      expect(refused.status).toBe(503);
      const body = (await refused.text()).replace(/^data: /, '').trim();
      expect(parseLaunchEvent(body)).toEqual({
        phase: 'failed',
        status: 503,
        message: REFUSED_WHILE_STOPPING,
      });
      await closing;
    } finally {
      await started.close();
    }
  });

  it('leaves running the sessions of a backend whose sessions outlive the server', async () => {
    const repoDir = await tempFolder({ 'README.md': 'book\n' });
    const backend = fakeBackend({ persistent: true });
    const started = await startTestApp({
      backend,
      providers: fakeProviders({ github: { 'org/book': repoDir } }),
    });
    const ready = await launchReady(started.url, { repo: 'gh/org/book/main' });
    await started.close();
    const [session] = backend.sessions;
    const status = await fetch(new URL('api/status', session?.server.url), {
      headers: { authorization: `token ${session?.server.token}` },
    });
    expect(ready.phase).toBe('ready');
    expect(status.status).toBe(200);
    await session?.server.stop();
  });
});

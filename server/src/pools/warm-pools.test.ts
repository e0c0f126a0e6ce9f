import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedSession } from '../backends/types.js';
import { createApp } from '../app.js';
import type { App } from '../app.js';
import { parseConfig } from '../config.js';
import type { ConfigInput } from '../config.js';
import { createLogger } from '../logger.js';
import { adoptSessions } from '../sessions/adoption.js';
import { hashToken } from '../sessions/token.js';
import { startTestApp } from '../test-support/app.js';
import type { TestApp } from '../test-support/app.js';
import { fakeBackend } from '../test-support/fake-backend.js';
import type { FakeBackend } from '../test-support/fake-backend.js';
import { fakeCommit, fakeProviders } from '../test-support/fake-providers.js';
import type { FakeProviderOptions } from '../test-support/fake-providers.js';
import { launch, launchReady } from '../test-support/launch-client.js';
import { tempFolder } from '../test-support/temp-folder.js';
import { AssignmentRecords } from './assignments.js';
import { poolKey } from './warm-pools.js';

const SPEC = 'gh/org/book/main';
const KEY = poolKey(SPEC, 'python3');

const apps: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** Waits (polling) until `done` holds; fails the test after 10 s. */
async function until(what: string, done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 10_000) throw new Error(`gave up waiting until ${what}`);
    await sleep(10);
  }
}

function readyCount(app: App): number {
  return app.pools.status().reduce((sum, pool) => sum + pool.ready, 0);
}

async function appWithPool(
  config: ConfigInput = {},
  providerOptions: FakeProviderOptions = {},
  backend: FakeBackend = fakeBackend(),
): Promise<TestApp> {
  const repoDir = await tempFolder({ 'README.md': 'pooled\n' });
  const app = await startTestApp({
    backend,
    providers: fakeProviders({ github: { 'org/book': repoDir }, ...providerOptions }),
    config: {
      dataDir: await tempFolder({}),
      pools: [{ repo: SPEC, size: 2 }],
      ...config,
    },
  });
  apps.push(app);
  return app;
}

/** GET through the session proxy with a token. */
function get(ready: ReadyEvent, path: string, token = ready.token): Promise<Response> {
  return fetch(new URL(path, ready.url), { headers: { authorization: `token ${token}` } });
}

describe('warm pools', () => {
  it('keep sessions started with their kernel running, and a launch takes one', async () => {
    const app = await appWithPool();
    await until('the pool is full', () => readyCount(app.app) === 2);
    expect(app.backend.sessions).toHaveLength(2);
    expect(app.app.registry.size).toBe(0);

    const { events } = await launch(app.url, { repo: SPEC });
    expect(events.map((event) => event.phase)).toEqual(['waiting', 'ready']);
    const ready = events.at(-1) as ReadyEvent;
    const member = app.backend.sessions.find(
      (session) => session.request?.session.id === ready.sessionId,
    );
    expect(member?.request?.session.pool).toBe(KEY);
    expect(ready).toMatchObject({ ref: fakeCommit('main'), kernel: 'python3' });
    expect(member?.jupyter.kernels.map((kernel) => kernel.id)).toEqual([ready.kernelId]);
    // The reader's token is new: not the one the pool's session was started with.
    expect(app.app.registry.get(ready.sessionId)?.tokenHash).toBe(hashToken(ready.token));
    expect(member?.request?.session.tokenHash).not.toBe(hashToken(ready.token));
    expect((await get(ready, 'api/status')).status).toBe(200);

    await until('the pool has refilled', () => readyCount(app.app) === 2);
    expect(app.backend.sessions).toHaveLength(3);
  });

  it("drop a reader's assignment record when the session ends", async () => {
    const dataDir = await tempFolder({});
    const app = await appWithPool({ dataDir });
    await until('the pool is full', () => readyCount(app.app) === 2);
    const ready = await launchReady(app.url, { repo: SPEC });
    const records = new AssignmentRecords(join(dataDir, 'pools', 'assigned'));
    expect(await records.read(ready.sessionId)).toBeDefined();

    await app.app.registry.end(ready.sessionId, 'test finished');
    await until(
      'the record is gone',
      () => !existsSync(join(dataDir, 'pools', 'assigned', `${ready.sessionId}.json`)),
    );
  });

  it('give each launch its own session and token; one token does not open another session', async () => {
    const app = await appWithPool();
    await until('the pool is full', () => readyCount(app.app) === 2);
    const [first, second] = await Promise.all([
      launchReady(app.url, { repo: SPEC }),
      launchReady(app.url, { repo: SPEC }),
    ]);
    expect(first.sessionId).not.toBe(second.sessionId);
    expect(first.kernelId).toBeDefined();
    expect(second.kernelId).toBeDefined();
    expect((await get(second, 'api/status', first.token)).status).toBe(403);
    expect((await get(second, 'api/status')).status).toBe(200);
  });

  it('leave launches of other refs, other kernels and private tokens to the pipeline', async () => {
    const app = await appWithPool({}, {}, fakeBackend({ kernels: ['python3', 'ir'] }));
    await until('the pool is full', () => readyCount(app.app) === 2);
    for (const request of [
      { repo: 'gh/org/book/other' },
      { repo: SPEC, kernel: 'ir' },
      { repo: SPEC, repoToken: 'secret' },
    ]) {
      const { events } = await launch(app.url, request);
      expect(events.map((event) => event.phase)).toContain('building');
      expect(events.at(-1)).toMatchObject({ phase: 'ready' });
      expect(events.at(-1)).not.toHaveProperty('kernelId');
    }
    expect(readyCount(app.app)).toBe(2);
  });

  it('count against the session quota: a full server starts no more pool sessions', async () => {
    const app = await appWithPool({
      sessions: { maxSessions: 2 },
      pools: [{ repo: SPEC, size: 3, refreshSeconds: 0.05 }],
    });
    await until('the server is full', () => readyCount(app.app) === 2);
    await sleep(50);
    expect(app.backend.sessions).toHaveLength(2);
    const other = await launch(app.url, { repo: 'gh/org/book/other' });
    expect(other.events.at(-1)).toMatchObject({ phase: 'failed', status: 503 });

    const ready = await launchReady(app.url, { repo: SPEC });
    expect(ready.kernelId).toBeDefined();
    await sleep(50);
    expect(app.app.pools.status()).toEqual([
      { repo: SPEC, kernel: 'python3', ready: 1, starting: 0 },
    ]);
    expect(app.backend.sessions).toHaveLength(2);

    // The reader's session ends: its place goes back, and the pool takes it on its next refresh.
    await app.app.registry.end(ready.sessionId, 'test finished');
    await until('the pool has refilled', () => readyCount(app.app) === 2);
    expect(app.backend.sessions).toHaveLength(3);
  });

  it('replace their sessions when the branch moves', async () => {
    let head = 'one';
    const app = await appWithPool(
      { pools: [{ repo: SPEC, size: 1, refreshSeconds: 0.05 }] },
      { commitOf: () => fakeCommit(head) },
    );
    await until('the pool is full', () => readyCount(app.app) === 1);
    head = 'two';
    await until('a session of the new commit is in the pool', () =>
      app.backend.sessions.some(
        (session) =>
          session.request?.session.ref === fakeCommit('two') && readyCount(app.app) === 1,
      ),
    );
    const ready = await launchReady(app.url, { repo: SPEC });
    expect(ready.ref).toBe(fakeCommit('two'));
    expect(ready.kernelId).toBeDefined();
    const old = app.backend.sessions.find(
      (session) => session.request?.session.ref === fakeCommit('one'),
    );
    await old?.jupyter.closed;
  });
});

describe('warm pools across a restart', () => {
  function listed(id: string, changes: Partial<ListedSession['session']> = {}): ListedSession {
    const commit = fakeCommit('main');
    return {
      session: {
        id,
        tokenHash: hashToken('pool-token'),
        kernel: 'python3',
        repo: `gh/org/book/${commit}`,
        ref: commit,
        repoUrl: 'https://github.test/org/book',
        refUrl: `https://github.test/org/book/tree/${commit}`,
        createdAt: Date.now() - 1000,
        pool: KEY,
        ...changes,
      },
      image: { id: 'env', name: 'fake-env:env' },
      expiresAt: Date.now() + 3_600_000,
      running: true,
    };
  }

  it('put free pool sessions back in their pool and give taken ones to their readers', async () => {
    const dataDir = await tempFolder({});
    const records = new AssignmentRecords(`${dataDir}/pools/assigned`);
    await records.write({
      ...listed('taken').session,
      tokenHash: hashToken('reader'),
      createdAt: 5,
    });
    const backend = fakeBackend({
      persistent: true,
      listed: [listed('free'), listed('taken'), listed('gone-pool', { pool: '["gh/x/y/z","r"]' })],
    });
    const logger = createLogger('silent');
    const app = createApp({
      config: parseConfig({ port: 0, dataDir, pools: [{ repo: SPEC, size: 1 }] }),
      providers: fakeProviders({ github: { 'org/book': await tempFolder({}) } }),
      backend,
      logger,
    });
    apps.push({ close: () => app.close().then(() => void app.httpServer.close()) });
    await adoptSessions(backend, app.registry, logger, Date.now(), app.pools);
    app.startPools();

    expect(app.registry.list().map((session) => session.id)).toEqual(['taken']);
    expect(app.registry.get('taken')).toMatchObject({
      tokenHash: hashToken('reader'),
      createdAt: 5,
    });
    expect(app.registry.get('taken')).not.toHaveProperty('pool');
    expect(readyCount(app)).toBe(1);
    await sleep(50);
    // Adopted: the free one fills the pool, no new session was started for it.
    expect(backend.sessions.every((session) => session.request === undefined)).toBe(true);
    const [, , gone] = backend.sessions;
    await gone?.jupyter.closed;
    const free = backend.sessions[0];
    expect(free?.jupyter.kernels).toHaveLength(1);
  });
});

import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../config.js';
import { newInstanceId } from '../../instance.js';
import { docker, dockerTestConfig } from '../../test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import { sessionsHoldingVariables, variablesOf } from '../../test-support/kept-sessions.js';
import { launchReady } from '../../test-support/launch-client.js';
import { readMetrics, sampleValue } from '../../test-support/metrics-text.js';
import { startServerProcess } from '../../test-support/server-process.js';
import type { ServerProcess } from '../../test-support/server-process.js';
import { TEST_DATA_DIR } from '../../test-support/server.js';
import { until } from '../../test-support/until.js';
import { LABELS } from './labels.js';

/** Docker builds on an engine other work shares can take minutes. */
const SLOW = 600_000;

/** The container of a session, running or not; undefined once removed. */
async function containerOf(sessionId: string) {
  const [found] = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.session}=${sessionId}`] },
  });
  return found;
}

/** The containers of one instance, running or not. */
function containersOf(instanceId: string) {
  return docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.instance}=${instanceId}`] },
  });
}

describe('docker sessions across server restarts', () => {
  const instanceId = newInstanceId('test');
  let config: ConfigInput;
  let server: ServerProcess;
  let repo: string;

  beforeAll(async () => {
    config = await dockerTestConfig({
      dataDir: TEST_DATA_DIR,
      instanceId,
      repos: { allowFileUrls: true },
    });
    repo = gitSpec((await createGitRepo({ 'README.md': 'kept containers\n' })).url, 'main');
    server = await startServerProcess(config);
    // Builds the session image, so the tests time restarts rather than a build.
    const warm = await launchReady(server.url, { repo });
    await endSession(server, warm);
  }, SLOW);
  afterAll(async () => {
    await server?.kill('SIGTERM');
    for (const found of await containersOf(instanceId)) {
      await docker.getContainer(found.Id).remove({ force: true });
    }
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(
      `keeps 3 sessions, their kernels and variables, through a ${signal} of the server`,
      async () => {
        const sessions = await sessionsHoldingVariables(server.url, repo, 3);
        expect(await server.kill(signal)).toBe(signal === 'SIGTERM' ? 0 : null);
        server = await startServerProcess(config, Number(server.url.port));

        expect(await variablesOf(sessions)).toEqual(sessions.map(({ value }) => String(value)));
        for (const { ready } of sessions) {
          expect(await endSession(server, ready)).toBe(204);
          expect(await containerOf(ready.sessionId)).toBeUndefined();
        }
      },
      SLOW,
    );
  }

  it(
    'ends a session whose container was killed and removes it; a new launch works',
    async () => {
      const ready = await launchReady(server.url, { repo });
      await docker.getContainer(`binder-cell-${ready.sessionId}`).kill();

      const status = () =>
        fetch(new URL('api/status', ready.url), {
          headers: { authorization: `token ${ready.token}` },
        });
      expect(await until(async () => (await status()).status === 410)).toBe(true);
      expect(await (await status()).json()).toEqual({
        message: 'this session has ended (its kernel server exited); launch a new one',
      });
      expect(await until(async () => (await containerOf(ready.sessionId)) === undefined)).toBe(
        true,
      );

      const next = await launchReady(server.url, { repo });
      const check = await fetch(new URL('api/status', next.url), {
        headers: { authorization: `token ${next.token}` },
      });
      expect(check.status).toBe(200);
      expect(await endSession(server, next)).toBe(204);
    },
    SLOW,
  );

  it(
    'removes a container that stopped while the server was down, and says the session ended',
    async () => {
      const ready = await launchReady(server.url, { repo });
      expect(await server.kill('SIGKILL')).toBeNull();
      await docker.getContainer(`binder-cell-${ready.sessionId}`).stop();
      server = await startServerProcess(config, Number(server.url.port));

      expect(await containerOf(ready.sessionId)).toBeUndefined();
      const status = await fetch(new URL('api/status', ready.url), {
        headers: { authorization: `token ${ready.token}` },
      });
      expect(status.status).toBe(410);
      expect(await status.json()).toEqual({
        message: 'this session has ended (its kernel server stopped); launch a new one',
      });
    },
    SLOW,
  );
});

/** DELETEs a session with its token; returns the status. */
async function endSession(server: ServerProcess, ready: ReadyEvent): Promise<number> {
  const response = await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, server.url), {
    method: 'DELETE',
    headers: { authorization: `token ${ready.token}` },
  });
  return response.status;
}

describe('a warm pool of docker sessions across a server restart', () => {
  const instanceId = newInstanceId('test');
  let config: ConfigInput;
  let server: ServerProcess;
  let repo: string;

  const poolReady = async () =>
    sampleValue(await readMetrics(server.url), 'binder_cell_pool_sessions', {
      pool: repo,
      kernel: 'python3',
    }) === 1;
  const containerIds = async () => (await containersOf(instanceId)).map((found) => found.Id).sort();

  beforeAll(async () => {
    repo = gitSpec((await createGitRepo({ 'README.md': 'pooled containers\n' })).url, 'main');
    config = await dockerTestConfig({
      dataDir: TEST_DATA_DIR,
      instanceId,
      repos: { allowFileUrls: true },
      pools: [{ repo, size: 1 }],
    });
    server = await startServerProcess(config);
    if (!(await until(poolReady, SLOW))) throw new Error('the pool did not fill');
  }, SLOW);
  afterAll(async () => {
    await server?.kill('SIGKILL');
    for (const found of await containersOf(instanceId)) {
      await docker.getContainer(found.Id).remove({ force: true });
    }
  });

  it(
    "hands out the pooled container, refills, and keeps both the reader's session and the refill through a kill -9",
    async () => {
      const [pooledContainer] = await containerIds();
      const [taken] = await sessionsHoldingVariables(server.url, repo, 1);
      if (!taken) throw new Error('no session was launched');
      expect(taken.ready.kernelId).toBeDefined();
      expect((await containerOf(taken.ready.sessionId))?.Id).toBe(pooledContainer);
      expect(await until(poolReady)).toBe(true);
      const beforeRestart = await containerIds();
      expect(beforeRestart).toHaveLength(2);

      expect(await server.kill('SIGKILL')).toBeNull();
      server = await startServerProcess(config, Number(server.url.port));

      // The refill is adopted back into the pool, not replaced by a new container.
      expect(await poolReady()).toBe(true);
      expect(await containerIds()).toEqual(beforeRestart);
      expect(await variablesOf([taken])).toEqual([String(taken.value)]);

      const next = await launchReady(server.url, { repo });
      expect(next.kernelId).toBeDefined();
      expect(beforeRestart).toContain((await containerOf(next.sessionId))?.Id);
      expect(next.sessionId).not.toBe(taken.ready.sessionId);
    },
    SLOW,
  );
});

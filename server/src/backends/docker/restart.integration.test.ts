import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../config.js';
import { newInstanceId } from '../../instance.js';
import {
  TEST_BASE_IMAGE,
  docker,
  packageIndexes,
  requireDocker,
} from '../../test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import { sessionsHoldingVariables, variablesOf } from '../../test-support/kept-sessions.js';
import { launchReady } from '../../test-support/launch-client.js';
import { startServerProcess } from '../../test-support/server-process.js';
import type { ServerProcess } from '../../test-support/server-process.js';
import { TEST_DATA_DIR } from '../../test-support/server.js';
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

async function until(check: () => Promise<boolean>, ms = 30_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms; await sleep(200)) {
    if (await check()) return true;
  }
  return check();
}

describe('docker sessions across server restarts', () => {
  const instanceId = newInstanceId('test');
  let config: ConfigInput;
  let server: ServerProcess;
  let repo: string;

  beforeAll(async () => {
    await requireDocker();
    const [pipIndexUrl, ...pipExtraIndexUrls] = (await packageIndexes()).indexUrls;
    config = {
      backend: 'docker',
      dataDir: TEST_DATA_DIR,
      instanceId,
      repos: { allowFileUrls: true },
      docker: { baseImage: TEST_BASE_IMAGE, buildNetwork: 'host', imagePrefix: 'binder-cell-test' },
      packages: pipIndexUrl ? { pipIndexUrl, pipExtraIndexUrls } : {},
    };
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

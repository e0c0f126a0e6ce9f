import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../config.js';
import { newInstanceId } from '../../instance.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import { sessionsHoldingVariables, variablesOf } from '../../test-support/kept-sessions.js';
import { execute, startKernel } from '../../test-support/kernel-client.js';
import { launchReady } from '../../test-support/launch-client.js';
import { startServerProcess } from '../../test-support/server-process.js';
import type { ServerProcess } from '../../test-support/server-process.js';
import { TEST_DATA_DIR } from '../../test-support/server.js';
import { until } from '../../test-support/until.js';
import { sessionProcesses, stopSessionProcesses } from './session-processes.js';
import { SessionStateFiles } from './session-state.js';

const sessionsDir = join(TEST_DATA_DIR, 'sessions');
const states = new SessionStateFiles(sessionsDir);

describe('local sessions across server restarts', () => {
  const instanceId = newInstanceId('test');
  const config: ConfigInput = {
    dataDir: TEST_DATA_DIR,
    instanceId,
    repos: { allowFileUrls: true },
    local: { keepSessions: true },
  };
  let server: ServerProcess;
  let repo: string;

  beforeAll(async () => {
    repo = gitSpec((await createGitRepo({ 'README.md': 'kept sessions\n' })).url, 'main');
    server = await startServerProcess(config);
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    // Whatever a failed test left running: a stopped server keeps its sessions.
    for (const state of await states.list(instanceId)) {
      await stopSessionProcesses(state.session.id, state.pid, 1000);
      await states.removeFolder(state.session.id);
    }
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`keeps 3 sessions, their kernels and variables, through a ${signal} of the server`, async () => {
      const sessions = await sessionsHoldingVariables(server.url, repo, 3);
      const code = await server.kill(signal);
      expect(code).toBe(signal === 'SIGTERM' ? 0 : null);
      server = await startServerProcess(config, Number(server.url.port));

      expect(await variablesOf(sessions)).toEqual(sessions.map(({ value }) => String(value)));
      for (const { ready } of sessions) {
        const stop = await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, server.url), {
          method: 'DELETE',
          headers: { authorization: `token ${ready.token}` },
        });
        expect(stop.status).toBe(204);
        expect(await sessionProcesses(ready.sessionId)).toEqual([]);
        expect(existsSync(states.folderOf(ready.sessionId))).toBe(false);
      }
    });
  }

  it('ends a session whose process was killed, leaving nothing behind; a new launch works', async () => {
    const ready = await launchReady(server.url, { repo });
    const { kernel, dispose } = await startKernel(ready);
    await execute(kernel, 'x = 1');
    dispose();
    const [state] = (await states.list(instanceId)).filter(
      (found) => found.session.id === ready.sessionId,
    );
    expect(await sessionProcesses(ready.sessionId)).toHaveLength(2);
    process.kill(state?.pid ?? 0, 'SIGKILL');

    const status = () =>
      fetch(new URL('api/status', ready.url), {
        headers: { authorization: `token ${ready.token}` },
      });
    expect(await until(async () => (await status()).status === 410)).toBe(true);
    expect(await (await status()).json()).toEqual({
      message: 'this session has ended (its kernel server exited); launch a new one',
    });
    expect(await until(async () => (await sessionProcesses(ready.sessionId)).length === 0)).toBe(
      true,
    );
    expect(await until(() => Promise.resolve(!existsSync(states.folderOf(ready.sessionId))))).toBe(
      true,
    );

    const next = await launchReady(server.url, { repo });
    const started = await startKernel(next);
    try {
      expect((await execute(started.kernel, 'print(6 * 7)')).stdout).toBe('42\n');
    } finally {
      started.dispose();
    }
    await fetch(new URL(`api/v1/sessions/${next.sessionId}`, server.url), {
      method: 'DELETE',
      headers: { authorization: `token ${next.token}` },
    });
  });
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInstanceId } from '../../instance.js';
import type { BinderCellServer } from '../../server.js';
import {
  docker,
  dockerTestConfig,
  startDockerTestServer,
} from '../../test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import { launchReady } from '../../test-support/launch-client.js';
import { TEST_DATA_DIR, stopTestServer } from '../../test-support/server.js';
import { tempFolder } from '../../test-support/temp-folder.js';
import { LABELS } from './labels.js';

const BIN = fileURLToPath(new URL('../../../bin/binder-cell-server.js', import.meta.url));

/** The session's container, running or not, whoever started it. */
async function containerOf(sessionId: string) {
  const [found] = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.session}=${sessionId}`] },
  });
  return found;
}

/** Containers of one instance. */
async function containersOf(instanceId: string) {
  return docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.instance}=${instanceId}`] },
  });
}

/** `binder-cell-server run <folder>` on the docker backend, up to its session being ready. */
async function startRun(folder: string) {
  const config = join(await tempFolder({}), 'run.json');
  await writeFile(
    config,
    JSON.stringify(await dockerTestConfig({ dataDir: TEST_DATA_DIR, logLevel: 'warn' })),
  );
  const child = spawn(process.execPath, [BIN, 'run', folder, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  let sessionId = '';
  for await (const line of createInterface({ input: child.stdout })) {
    sessionId ||= /^Session (\S+) runs/.exec(line)?.[1] ?? '';
    if (line.startsWith('Ctrl-C')) break;
  }
  if (!sessionId) {
    throw new Error(`run printed no session (exit ${await exited}):\n${stderr.join('\n')}`);
  }
  return { child, exited, sessionId };
}

describe('servers sharing a Docker engine', () => {
  const first = newInstanceId('test');
  let server: BinderCellServer;
  let live: string;
  let stopped: string;

  beforeAll(async () => {
    if (!existsSync(fileURLToPath(new URL('../../../dist/cli/index.js', import.meta.url)))) {
      throw new Error('the server is not built: run npm run build first');
    }
    const repo = await createGitRepo({ 'README.md': 'shared engine\n' });
    server = await startDockerTestServer({ instanceId: first });
    live = (await launchReady(server.url, { repo: gitSpec(repo.url, 'main') })).sessionId;
    // An ended session of the first instance whose container is still there (a server adopting
    // every container removed such ones). Started by another server of that instance, since a
    // server removes the containers of its own sessions as soon as they stop.
    const earlier = await startDockerTestServer({ instanceId: first });
    stopped = (await launchReady(earlier.url, { repo: gitSpec(repo.url, 'main') })).sessionId;
    await earlier.close();
    await docker.getContainer(`binder-cell-${stopped}`).stop();
  });
  afterAll(async () => {
    await stopTestServer(server);
    await docker
      .getContainer(`binder-cell-${stopped}`)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it("a second server adopts, culls and removes none of the first one's sessions", async () => {
    const second = await startDockerTestServer({ instanceId: newInstanceId('test') });
    try {
      expect(second.registry.size).toBe(0);
      expect(await containerOf(stopped)).toMatchObject({ State: 'exited' });
    } finally {
      await second.registry.endAll('test finished');
      await second.close();
    }
    expect(await containerOf(live)).toMatchObject({ State: 'running' });
    expect(await containerOf(stopped)).toBeDefined();
    expect(server.registry.get(live)).toBeDefined();
  });

  it('`run` keeps to its own session and exits on Ctrl-C, removing it', async () => {
    const folder = await tempFolder({ 'hello.py': 'print("hi")\n' }, 'binder-cell-run-');
    const run = await startRun(folder);
    let runInstance = '';
    try {
      runInstance = (await containerOf(run.sessionId))?.Labels[LABELS.instance] ?? '';
      expect(runInstance).toMatch(/^run-/);
      expect(await containerOf(live)).toMatchObject({ State: 'running' });
      expect(await containerOf(stopped)).toBeDefined();
    } finally {
      run.child.kill('SIGINT');
    }
    // 130: the conventional exit code of a command ended by Ctrl-C (SIGINT).
    expect(await run.exited).toBe(130);
    expect(await containersOf(runInstance)).toEqual([]);
    expect(await containerOf(live)).toMatchObject({ State: 'running' });
    expect(await containerOf(stopped)).toBeDefined();
  });
});

import { randomUUID } from 'node:crypto';
import type { LaunchEvent } from '@binder-cell/launch-protocol';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../config.js';
import { newInstanceId } from '../../instance.js';
import { INTERRUPTED_BY_RESTART, INTERRUPTED_BY_STOP } from '../../launch/shutdown.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import { openLaunch } from '../../test-support/launch-stream.js';
import { startServerProcess } from '../../test-support/server-process.js';
import type { ServerProcess } from '../../test-support/server-process.js';
import { TEST_DATA_DIR } from '../../test-support/server.js';

/**
 * A package index on loopback that takes connections and never answers: pip waits on it,
 * so a build stays under way for as long as a test needs.
 */
async function silentIndex(): Promise<{ url: string; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      server.close();
    },
  };
}

const installing = (event: LaunchEvent) =>
  'log' in event && event.log?.startsWith('Installing requirements.txt') === true;

describe('a build under way when the server stops', () => {
  const config: ConfigInput = {
    dataDir: TEST_DATA_DIR,
    instanceId: newInstanceId('test'),
    repos: { allowFileUrls: true },
  };
  let index: Awaited<ReturnType<typeof silentIndex>>;
  let server: ServerProcess | undefined;

  /** A repository whose requirements point pip at the silent index (a new environment each time). */
  async function stuckRepo(): Promise<string> {
    const requirements = `--index-url ${index.url}\n# ${randomUUID()}\nbinder-cell-never-served\n`;
    return gitSpec((await createGitRepo({ 'requirements.txt': requirements })).url, 'main');
  }

  beforeAll(async () => {
    index = await silentIndex();
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    index?.close();
  });

  it('ends the launch stream with failed (503) on SIGTERM, and the server exits', async () => {
    server = await startServerProcess(config);
    const launch = await openLaunch(server.url, { repo: await stuckRepo() });
    await launch.until(installing);
    const exit = server.kill('SIGTERM');
    const { event } = await launch.until((found) => found.phase === 'failed');
    expect(event).toEqual({ phase: 'failed', status: 503, message: INTERRUPTED_BY_STOP });
    expect(await exit).toBe(0);
    server = undefined;
  });

  it('tells a client reconnecting after kill -9 that its launch was interrupted, and builds afresh', async () => {
    server = await startServerProcess(config);
    const repo = await stuckRepo();
    const launch = await openLaunch(server.url, { repo });
    const { id } = await launch.until(installing);
    expect(await server.kill('SIGKILL')).toBeNull();
    server = await startServerProcess(config, Number(server.url.port));

    const resumed = await openLaunch(server.url, { repo }, { 'last-event-id': id ?? '' });
    expect(resumed.status).toBe(503);
    expect((await resumed.until((found) => found.phase === 'failed')).event).toEqual({
      phase: 'failed',
      status: 503,
      message: INTERRUPTED_BY_RESTART,
    });

    // The half-built environment is not used: the same repository builds again from scratch.
    const again = await openLaunch(server.url, { repo });
    await again.until(installing);
    const logged = again.seen.map(({ event }) => ('log' in event ? event.log : undefined));
    expect(logged.some((line) => line?.startsWith('Creating a Python'))).toBe(true);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { startFakeJupyter } from '../../test-support/fake-jupyter.js';
import type { FakeJupyter } from '../../test-support/fake-jupyter.js';
import { BackendError } from './backend-error.js';
import { kernelspecNames, lastActivity, untilAnswering } from './kernel-server-client.js';

const servers: FakeJupyter[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function jupyter(kernels?: string[]): Promise<FakeJupyter> {
  const server = await startFakeJupyter('internal', kernels);
  servers.push(server);
  return server;
}

const never = new Promise<void>(() => undefined);

describe('the kernel-server client', () => {
  it("reads the kernels' last activity from api/status", async () => {
    const server = await jupyter();
    server.lastActivity = Date.parse('2030-01-02T03:04:05.000Z');
    expect(await lastActivity(server)).toBe(server.lastActivity);
    expect(await lastActivity({ url: server.url, token: 'wrong' })).toBeUndefined();
  });

  it('lists kernelspec names, and fails as a start failure on a refusal', async () => {
    const server = await jupyter(['python3', 'ir']);
    const signal = new AbortController().signal;
    expect(await kernelspecNames(server, signal)).toEqual(['python3', 'ir']);
    await expect(kernelspecNames({ url: server.url, token: 'wrong' }, signal)).rejects.toThrow(
      BackendError,
    );
  });

  it('waits until the server answers, and gives up when it exits or the signal aborts', async () => {
    const server = await jupyter();
    await expect(
      untilAnswering(server, never, new AbortController().signal),
    ).resolves.toBeUndefined();
    const refusing = { url: server.url, token: 'wrong' };
    await expect(
      untilAnswering(refusing, Promise.resolve(), new AbortController().signal),
    ).rejects.toThrow('exited while starting');
    const stopped = new AbortController();
    stopped.abort(new Error('nobody waits any more'));
    await expect(untilAnswering(refusing, never, stopped.signal)).rejects.toThrow(
      'nobody waits any more',
    );
  });
});

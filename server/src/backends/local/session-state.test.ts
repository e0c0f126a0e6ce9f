import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test-support/temp-folder.js';
import { SessionStateFiles } from './session-state.js';
import type { LocalSessionState } from './session-state.js';
import { mkdir } from 'node:fs/promises';

function state(id: string, instanceId: string): LocalSessionState {
  return {
    instanceId,
    pid: 4242,
    port: 0,
    token: 'internal-secret',
    session: {
      id,
      tokenHash: 'ab',
      kernel: 'python3',
      repo: 'local/book',
      ref: 'abc',
      repoUrl: 'local/book',
      refUrl: 'local/book',
      createdAt: 1,
    },
    image: { id: '/envs/abc', name: 'venv:abc' },
    expiresAt: 2,
  };
}

describe('SessionStateFiles', () => {
  it("keeps each session's state readable by the server's user only, and lists an instance's own", async () => {
    const files = new SessionStateFiles(await tempFolder({}));
    for (const [id, instance] of [
      ['s1', 'bc-one'],
      ['s2', 'bc-two'],
    ] as const) {
      await mkdir(files.folderOf(id), { recursive: true });
      await files.write(state(id, instance));
    }
    await mkdir(files.folderOf('broken'));
    await writeFile(join(files.folderOf('broken'), 'session.json'), '{"half":');
    await mkdir(files.folderOf('no-state'));

    const info = await stat(join(files.folderOf('s1'), 'session.json'));
    expect(info.mode & 0o777).toBe(0o600);
    expect(await files.list('bc-one')).toEqual([state('s1', 'bc-one')]);
    await files.write({ ...state('s1', 'bc-one'), port: 8123 });
    expect((await files.list('bc-one'))[0]?.port).toBe(8123);

    await files.removeFolder('s1');
    expect(await files.list('bc-one')).toEqual([]);
    expect(await files.list('bc-two')).toHaveLength(1);
  });

  it('lists nothing before any session was started', async () => {
    const files = new SessionStateFiles(join(await tempFolder({}), 'sessions'));
    expect(await files.list('bc-one')).toEqual([]);
  });
});

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../test-support/temp-folder.js';
import { AssignmentRecords } from './assignments.js';

const session = (id: string) => ({
  id,
  tokenHash: `hash-${id}`,
  kernel: 'python3',
  repo: 'local/book',
  ref: 'local-01',
  repoUrl: 'local/book',
  refUrl: 'local/book',
  createdAt: 42,
});

describe('assignment records', () => {
  it("read back a taken session's token hash and time, and nothing for others", async () => {
    const records = new AssignmentRecords(join(await tempFolder({}), 'assigned'));
    await records.write(session('a'));
    expect(await records.read('a')).toEqual({ tokenHash: 'hash-a', createdAt: 42 });
    expect(await records.read('b')).toBeUndefined();
    expect(await records.read('../a')).toBeUndefined();
  });

  it('prune the records of sessions no longer running', async () => {
    const dir = join(await tempFolder({}), 'assigned');
    const records = new AssignmentRecords(dir);
    await records.write(session('live'));
    await records.write(session('ended'));
    await records.prune((id) => id === 'live');
    expect(await readdir(dir)).toEqual(['live.json']);
  });
});

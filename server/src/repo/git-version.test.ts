import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGitVersion, requireGit } from './git-version.js';

describe("git's version", () => {
  it("reads git's version line, vendor suffixes included", () => {
    expect(parseGitVersion('git version 2.39.5\n')).toEqual([2, 39]);
    expect(parseGitVersion('git version 2.37.1 (Apple Git-136)')).toEqual([2, 37]);
    expect(parseGitVersion('git version 3.0.0.windows.1')).toEqual([3, 0]);
    expect(parseGitVersion('hub version 2.14.2')).toBeUndefined();
  });

  describe('requireGit, with stand-in gits printing a version', () => {
    let dir: string;
    const fakeGit = async (name: string, versionLine: string) => {
      const path = join(dir, name);
      await writeFile(path, `#!/bin/sh\necho '${versionLine}'\n`);
      await chmod(path, 0o755);
      return path;
    };
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'git-version-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it("accepts the machine's git", async () => {
      await expect(requireGit()).resolves.toBeUndefined();
    });

    it('refuses a git older than 2.37, saying why the version matters', async () => {
      const old = await fakeGit('old-git', 'git version 2.34.1');
      await expect(requireGit(old)).rejects.toThrow(
        /git 2\.34 is too old: the server needs git 2\.37 or newer.*http\.curloptResolve/,
      );
      await expect(requireGit(await fakeGit('new-git', 'git version 2.37.0'))).resolves.toBe(
        undefined,
      );
    });

    it('says so when git is missing or prints something else', async () => {
      await expect(requireGit(join(dir, 'absent'))).rejects.toThrow(/git was not found/);
      const odd = await fakeGit('odd-git', 'hub version 2.14.2');
      await expect(requireGit(odd)).rejects.toThrow(/could not read git's version/);
    });
  });
});

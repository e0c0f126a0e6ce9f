import { execFileSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRepoFiles } from '../../environment/repo-files.js';
import { tempFolder } from '../../test-support/temp-folder.js';
import { LocalVenvBuilder } from './venv-builder.js';

/** An interpreter that only tells its version: the server's default Python in these tests. */
async function pythonReporting(version: string): Promise<string> {
  const path = join(await tempFolder({}), 'python');
  await writeFile(path, `#!/bin/sh\necho '${JSON.stringify({ executable: path, version })}'\n`);
  await chmod(path, 0o755);
  return path;
}

describe('planning a local environment', () => {
  let builder: LocalVenvBuilder;
  let defaultPython: string;
  /** This machine's python3, X.Y.Z; pythonX.Y runs it. */
  const host = execFileSync(
    'python3',
    ['-c', 'import platform; print(platform.python_version())'],
    {
      encoding: 'utf8',
    },
  ).trim();

  beforeAll(async () => {
    defaultPython = await pythonReporting('3.5.10');
    builder = new LocalVenvBuilder({
      envsDir: await tempFolder({}),
      python: defaultPython,
      pip: { pipExtraIndexUrls: [], pipRetries: 0 },
    });
  });

  async function planFor(files: Record<string, string>) {
    const dir = await tempFolder(files);
    return builder.plan({ files: await readRepoFiles(dir), repo: 'local/x', ref: 'local-1' });
  }

  it("takes runtime.txt's python-X.Y.Z as Python X.Y, as the docker backend does", async () => {
    const plan = await planFor({ 'runtime.txt': `python-${host}\n` });
    expect(plan.report).toContainEqual(expect.stringContaining(`base: Python ${host} (`));
  });

  it("uses the server's Python when runtime.txt names none", async () => {
    const plan = await planFor({ 'requirements.txt': 'numpy\n' });
    expect(plan.report).toContainEqual(
      expect.stringContaining(`base: Python 3.5.10 (${defaultPython})`),
    );
  });

  it('keys the environment by its requirements, not by the rest of the repository', async () => {
    const [first, second, other] = await Promise.all([
      planFor({ 'requirements.txt': 'numpy==2.4.6\n', 'a.ipynb': '{}' }),
      planFor({ 'requirements.txt': 'numpy==2.4.6\n', 'b.ipynb': '{}' }),
      planFor({ 'requirements.txt': 'numpy==2.4.5\n' }),
    ]);
    expect(first.stages[0]?.key).toBe(second.stages[0]?.key);
    expect(other.stages[0]?.key).not.toBe(first.stages[0]?.key);
  });
});

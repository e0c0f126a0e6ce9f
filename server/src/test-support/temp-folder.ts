import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (path -> content) into a new temporary folder and returns its path. */
export async function tempFolder(
  files: Record<string, string>,
  prefix = 'binder-cell-',
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeFiles(dir, files);
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content, {
      mode: /(^|\/)(postBuild|start)$/.test(path) ? 0o755 : 0o644,
    });
  }
}

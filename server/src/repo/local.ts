import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { badRequest, notFound } from '../errors.js';
import type { RefOptions, RepoProvider, RepoRef, SpecOf } from './types.js';

/** `local/<name>`: a folder on this host that the server configuration names. */
export class LocalProvider implements RepoProvider<'local'> {
  constructor(private readonly folders: Readonly<Record<string, string>>) {}

  open({ name }: SpecOf<'local'>, options: RefOptions): RepoRef {
    if (options.ref !== undefined) {
      throw badRequest(`local repositories have no refs; drop "ref" from the request`);
    }
    const folder = Object.hasOwn(this.folders, name) ? this.folders[name] : undefined;
    if (folder === undefined) {
      throw notFound(`this server has no local repository named "${name}"`);
    }
    const repoSpec = `local/${name}`;
    return {
      spec: repoSpec,
      repoUrl: repoSpec,
      resolve: async () => ({
        ref: await folderRevision(folder),
        persistentSpec: repoSpec,
        refUrl: repoSpec,
        fetch: () => Promise.resolve(folder),
      }),
    };
  }
}

/**
 * A folder's revision: `local-` and a hash of every file's path, size and modification
 * time, so images built from it are rebuilt when it changes.
 */
export async function folderRevision(folder: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !relative(folder, path).split('/').includes('.git'))
    .sort();
  for (const path of files) {
    const { size, mtimeMs } = await stat(path);
    hash.update(`${relative(folder, path)}\0${size}\0${mtimeMs}\n`);
  }
  return `local-${hash.digest('hex').slice(0, 16)}`;
}

import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { BuildSource } from '../backends/types.js';
import { readRepoFiles } from '../environment/repo-files.js';
import type { Config } from '../config.js';
import { createRepoProviders } from '../repo/index.js';
import { folderRevision } from '../repo/local.js';

/** A folder on disk, or a spec (`gh/org/repo/main`, `git/...`) resolved and fetched. */
export async function repoSource(
  pathOrSpec: string,
  config: Config,
  log: (line: string) => void,
): Promise<BuildSource> {
  const folder = resolve(pathOrSpec);
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (isFolder) {
    return {
      files: await readRepoFiles(folder),
      repo: `local/${basename(folder)}`,
      ref: await folderRevision(folder),
    };
  }
  const signal = AbortSignal.timeout(config.repos.gitTimeoutSeconds * 1000);
  const resolved = await createRepoProviders(config).parse(pathOrSpec).resolve(signal);
  const dir = await resolved.fetch(signal, log);
  return { files: await readRepoFiles(dir), repo: resolved.persistentSpec, ref: resolved.ref };
}

import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { unprocessable } from '../errors.js';
import { exists } from '../util/files.js';

/** The files Binder's conventions give meaning to, read from the config folder. */
export const ENVIRONMENT_FILES = [
  'Dockerfile',
  'environment.yml',
  'environment.yaml',
  'Pipfile',
  'Pipfile.lock',
  'requirements.txt',
  'setup.py',
  'pyproject.toml',
  'runtime.txt',
  'DESCRIPTION',
  'install.R',
  'Project.toml',
  'Manifest.toml',
  'apt.txt',
  'postBuild',
  'start',
] as const;

export type EnvironmentFile = (typeof ENVIRONMENT_FILES)[number];

/** A repository's environment files, as repo2docker would find them. */
export interface RepoFiles {
  /** Folder holding the repository's files. */
  readonly dir: string;
  /** `.binder`, `binder`, or `` for the repository root. */
  readonly configDir: string;
  /** Contents of the environment files present, by name. */
  readonly files: ReadonlyMap<EnvironmentFile, string>;
  /** The build context's ignore files, in the order their rules apply (see `readIgnoreFiles`). */
  readonly ignoreFiles: readonly IgnoreFile[];
}

/** A `.dockerignore` or `.containerignore` of the repository. */
export interface IgnoreFile {
  /** Relative to the repository root, e.g. `binder/.dockerignore`. */
  readonly path: string;
  readonly text: string;
}

/** Ignore files, in the order repo2docker concatenates their rules. */
const IGNORE_FILES = ['.dockerignore', '.containerignore'] as const;

export function hasFile(repo: RepoFiles, name: EnvironmentFile): boolean {
  return repo.files.has(name);
}

/** Path of an environment file relative to the repository root. */
export function repoPath(repo: RepoFiles, name: EnvironmentFile): string {
  return repo.configDir ? `${repo.configDir}/${name}` : name;
}

/** Finds the config folder: `.binder/`, else `binder/`, else the root (both is an error). */
export async function findConfigDir(dir: string): Promise<string> {
  const [dotBinder, binder] = await Promise.all([
    isDirectory(join(dir, '.binder')),
    isDirectory(join(dir, 'binder')),
  ]);
  if (dotBinder && binder) {
    throw unprocessable(
      'the repository has both .binder/ and binder/ folders: keep one of them for environment files',
    );
  }
  return dotBinder ? '.binder' : binder ? 'binder' : '';
}

export async function readRepoFiles(dir: string): Promise<RepoFiles> {
  const configDir = await findConfigDir(dir);
  const entries = await Promise.all(
    ENVIRONMENT_FILES.map(
      async (name) =>
        [name, await readRepoFile(dir, configDir ? `${configDir}/${name}` : name)] as const,
    ),
  );
  const files = new Map<EnvironmentFile, string>();
  for (const [name, content] of entries) if (content !== undefined) files.set(name, content);
  return { dir, configDir, files, ignoreFiles: await readIgnoreFiles(dir, configDir) };
}

/**
 * The ignore files of the build context, as repo2docker reads them: `.dockerignore` then
 * `.containerignore`, from the config folder when there is one (the root's are not read
 * then, so a root `.dockerignore` listing `binder/` does not hide postBuild), else the root.
 */
export async function readIgnoreFiles(dir: string, configDir: string): Promise<IgnoreFile[]> {
  const found: IgnoreFile[] = [];
  for (const name of IGNORE_FILES) {
    const path = configDir ? `${configDir}/${name}` : name;
    const text = await readRepoFile(dir, path);
    if (text !== undefined) found.push({ path, text });
  }
  return found;
}

/**
 * The text of a repository file (`path` relative to the checkout `dir`), undefined when there
 * is none. A symbolic link may point anywhere inside the repository; one that leads outside
 * it (to a file of the server) is a 422, so no server file reaches a build or its log.
 */
export async function readRepoFile(dir: string, path: string): Promise<string | undefined> {
  let target: string;
  try {
    target = await realpath(join(dir, path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const root = await realpath(dir);
  if (!target.startsWith(root + sep)) {
    throw unprocessable(`${path} is a link to a file outside the repository`);
  }
  return readFile(target, 'utf8');
}

async function isDirectory(path: string): Promise<boolean> {
  return (await exists(path)) && (await stat(path)).isDirectory();
}

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unprocessable } from '../errors.js';
import { exists, readIfExists } from '../util/files.js';

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
  /** The root `.dockerignore`, if any. */
  readonly dockerignore: string | undefined;
}

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
      async (name) => [name, await readIfExists(join(dir, configDir, name))] as const,
    ),
  );
  const files = new Map<EnvironmentFile, string>();
  for (const [name, content] of entries) if (content !== undefined) files.set(name, content);
  return { dir, configDir, files, dockerignore: await readIfExists(join(dir, '.dockerignore')) };
}

async function isDirectory(path: string): Promise<boolean> {
  return (await exists(path)) && (await stat(path)).isDirectory();
}

import { join } from 'node:path';
import { unprocessable } from '../errors.js';
import { exists, readIfExists } from '../util/files.js';

/** Files that describe a repository's environment, read from its config folder. */
export interface Environment {
  /** Folder the files were read from, relative to the repository: `.binder`, `binder` or ``. */
  configDir: string;
  requirements?: string;
  runtime?: string;
  /** Environment files present that the selected builder does not act on. */
  unsupported: string[];
}

/** Environment files Binder knows; the ones the local builder acts on are read above. */
const OTHER_ENVIRONMENT_FILES = [
  'Dockerfile',
  'environment.yml',
  'environment.yaml',
  'Pipfile',
  'Pipfile.lock',
  'setup.py',
  'pyproject.toml',
  'apt.txt',
  'postBuild',
  'start',
  'install.R',
  'DESCRIPTION',
  'Project.toml',
];

/** Finds the config folder as repo2docker does: `.binder/`, else `binder/`, else the root. */
export async function findConfigDir(repoDir: string): Promise<string> {
  const [dotBinder, binder] = await Promise.all([
    exists(join(repoDir, '.binder')),
    exists(join(repoDir, 'binder')),
  ]);
  if (dotBinder && binder) {
    throw unprocessable(
      'the repository has both .binder/ and binder/ folders: keep one of them for environment files',
    );
  }
  return dotBinder ? '.binder' : binder ? 'binder' : '';
}

export async function detectEnvironment(repoDir: string): Promise<Environment> {
  const configDir = await findConfigDir(repoDir);
  const read = (name: string) => readIfExists(join(repoDir, configDir, name));
  const [requirements, runtime] = await Promise.all([
    read('requirements.txt'),
    read('runtime.txt'),
  ]);
  const present = await Promise.all(
    OTHER_ENVIRONMENT_FILES.map(async (name) =>
      (await exists(join(repoDir, configDir, name))) ? name : undefined,
    ),
  );
  return {
    configDir,
    requirements,
    runtime: runtime?.trim(),
    unsupported: present.filter((name): name is string => name !== undefined),
  };
}

import { installablePyproject } from '../../buildpacks/pip.js';
import { repoPath } from '../../environment/repo-files.js';
import type { EnvironmentFile, RepoFiles } from '../../environment/repo-files.js';
import { unprocessable } from '../../errors.js';

/** What the local backend does with environment files it cannot act on (config `local.unsupportedFiles`). */
export type UnsupportedFilesPolicy = 'note' | 'fail';

/** Where R cells run instead (scripts/setup.sh `require_r` installs Debian's IRkernel). */
const HOST_R =
  'R cells (kernel "ir") run on the host\'s R when it has IRkernel, with only the R packages the host has';

/** What each file would do on the docker backend, and what leaving it out means here. */
const SKIPPED: Partial<Record<EnvironmentFile, string>> = {
  Dockerfile: 'not built; the session runs in a venv of requirements.txt instead',
  'environment.yml': 'not installed (conda environments need the docker backend)',
  'environment.yaml': 'not installed (conda environments need the docker backend)',
  Pipfile: 'not installed (pipenv)',
  'Pipfile.lock': 'not installed (pipenv)',
  DESCRIPTION: `not installed: ${HOST_R}`,
  'install.R': `not run: ${HOST_R}`,
  'Project.toml': 'not installed: there is no Julia kernel',
  'Manifest.toml': 'not installed: there is no Julia kernel',
  postBuild: 'not run',
  start: "not run before the session's kernel server",
};

/**
 * What the local backend leaves out of a repository's environment that the docker backend
 * would do, one line per file (`binder/postBuild: not run`); empty when it leaves out nothing.
 */
export function skippedByLocalBackend(files: RepoFiles): string[] {
  const lines: string[] = [];
  for (const name of files.files.keys()) {
    const skipped = SKIPPED[name];
    if (skipped) lines.push(`${repoPath(files, name)}: ${skipped}`);
  }
  const apt = files.files.get('apt.txt');
  if (apt !== undefined) {
    const packages = apt
      .split(/\r?\n/)
      .map((line) => line.replace(/#.*/, '').trim())
      .filter((line) => line !== '');
    lines.push(
      `${repoPath(files, 'apt.txt')}: not installed (${packages.join(', ') || 'no packages'}); only what the server's host has is there`,
    );
  }
  if (/^r-/.test(files.files.get('runtime.txt')?.trim() ?? '')) {
    lines.push(`${repoPath(files, 'runtime.txt')}: that R is not installed; ${HOST_R}`);
  }
  if (files.configDir === '') {
    if (files.files.has('setup.py') || installablePyproject(files.files.get('pyproject.toml'))) {
      const file = files.files.has('setup.py') ? 'setup.py' : 'pyproject.toml';
      lines.push(`${file}: the repository's own package is not installed (pip install .)`);
    }
  }
  return lines;
}

/**
 * The build log lines saying what the local backend leaves out, or, with the `fail` policy,
 * throws HttpError 422 naming it all. Nothing when it leaves out nothing.
 */
export function unsupportedFilesNotice(files: RepoFiles, policy: UnsupportedFilesPolicy): string[] {
  const skipped = skippedByLocalBackend(files);
  if (skipped.length === 0) return [];
  if (policy === 'fail') {
    throw unprocessable(
      `this server's local backend cannot do what the repository asks (${skipped.join('; ')}): ` +
        'the repository needs a server with the docker backend',
    );
  }
  return [
    'Left out by the local backend (a server with the docker backend does these):',
    ...skipped.map((line) => `  ${line}`),
  ];
}

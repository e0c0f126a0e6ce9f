import { execFileSync } from 'node:child_process';
import { tempFolder, writeFiles } from './temp-folder.js';

export interface GitRepo {
  dir: string;
  url: string;
  /** Commits `files` (path -> content) on the current branch and returns the commit SHA. */
  commit(files: Record<string, string>, message?: string): Promise<string>;
  git(...args: string[]): string;
}

/** A real git repository in a temporary folder, reachable as a file:// URL. */
export async function createGitRepo(files: Record<string, string>): Promise<GitRepo> {
  const dir = await tempFolder({}, 'binder-cell-repo-');
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'test',
        GIT_AUTHOR_EMAIL: 'test@example.org',
        GIT_COMMITTER_NAME: 'test',
        GIT_COMMITTER_EMAIL: 'test@example.org',
      },
    }).trim();
  git('init', '--quiet', '--initial-branch=main');
  const repo: GitRepo = {
    dir,
    url: `file://${dir}`,
    git,
    async commit(changes, message = 'update') {
      await writeFiles(dir, changes);
      git('add', '--all');
      git('commit', '--quiet', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
  await repo.commit(files, 'initial');
  return repo;
}

/** `git/<escaped url>/<ref>` for a repository URL. */
export function gitSpec(url: string, ref?: string): string {
  return `git/${encodeURIComponent(url)}${ref === undefined ? '' : `/${encodeURIComponent(ref)}`}`;
}

import { parseRepoSpec } from '@binder-cell/launch-protocol';
import type { RepoSpec } from '@binder-cell/launch-protocol';
import picomatch from 'picomatch';

/**
 * The name admission rules match a repository by: its spec without the ref, with a
 * `git/` URL decoded and normalised (`git/https://host/org/repo`, no `.git`, query or
 * trailing slash), so one repository has one name however its spec is spelled.
 */
export function repoName(spec: RepoSpec): string {
  switch (spec.provider) {
    case 'gh':
      return `gh/${spec.owner}/${spec.name}`;
    case 'gl':
      return `gl/${spec.namespace}`;
    case 'git':
      return `git/${normalisedUrl(spec.url)}`;
    case 'local':
      return `local/${spec.name}`;
  }
}

/**
 * The name of a running session's repository, from its recorded spec (`gh/org/repo/<commit>`,
 * `image/<name>`); the recorded text itself when it is in no grammar.
 */
export function sessionRepoName(recorded: string): string {
  if (recorded.startsWith('image/')) return recorded;
  try {
    return repoName(parseRepoSpec(recorded));
  } catch {
    return recorded;
  }
}

/** Matches repository names against an admission glob; case-insensitive, as GitHub's names are. */
export function repoMatcher(pattern: string): (name: string) => boolean {
  return picomatch(pattern, { nocase: true, dot: true });
}

function normalisedUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const path = url.pathname.replace(/\/+$/, '').replace(/\.git$/, '');
    return `${url.protocol}//${url.host}${path}`;
  } catch {
    return raw;
  }
}

import type { GitCredentials } from './git-command.js';

/** Credentials the operator configured for repositories under a URL prefix. */
export interface ConfiguredCredentials {
  urlPrefix: string;
  username?: string;
  token: string;
}

/**
 * Picks the credentials for a repository URL: the user's own token (with the
 * provider's username convention) first, then the longest configured prefix.
 */
export function credentialsFor(
  url: string,
  configured: readonly ConfiguredCredentials[],
  userToken: string | undefined,
  tokenUsername: string,
): GitCredentials | undefined {
  if (userToken) return { username: tokenUsername, password: userToken };
  const match = configured
    .filter((entry) => url.startsWith(entry.urlPrefix))
    .sort((a, b) => b.urlPrefix.length - a.urlPrefix.length)[0];
  return match ? { username: match.username ?? tokenUsername, password: match.token } : undefined;
}

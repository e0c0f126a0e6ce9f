import type { ConfiguredCredentials } from './credentials.js';
import { credentialsFor } from './credentials.js';
import type { GitRemotes } from './git-remotes.js';
import { checkRef } from '@binder-cell/launch-protocol';
import { badRequest } from '../errors.js';
import type { RefOptions, RepoRef } from './types.js';
import { asBadRequest } from './validate.js';

/** How one git-based provider names, links and authenticates its repositories. */
export interface GitRepoDescription {
  /** Clone URL. */
  url: string;
  /** The spec for a ref, e.g. `gh/org/repo/<ref>`. */
  specFor(ref: string): string;
  /** A page showing the repository at a commit. */
  refUrlFor(commit: string): string;
  /** Username that goes with a bare token on this host. */
  tokenUsername: string;
  /** Checks the remote's address before git connects (see GitRemote.guard). */
  guard?: (signal: AbortSignal) => Promise<string[]>;
}

export interface GitRefContext {
  remotes: GitRemotes;
  credentials: readonly ConfiguredCredentials[];
}

/** The ref a spec asks for: from the spec or the request, not both, HEAD when neither. */
export function chooseRef(specRef: string | undefined, options: RefOptions): string {
  if (specRef !== undefined && options.ref !== undefined && options.ref !== specRef) {
    throw badRequest(
      `the ref is given twice ("${specRef}" in the spec, "${options.ref}" in the request)`,
    );
  }
  return asBadRequest(() => checkRef(specRef ?? options.ref ?? 'HEAD'));
}

export function gitRepoRef(
  repo: GitRepoDescription,
  ref: string,
  options: RefOptions,
  context: GitRefContext,
): RepoRef {
  const remote = {
    url: repo.url,
    credentials: credentialsFor(
      repo.url,
      context.credentials,
      options.repoToken,
      repo.tokenUsername,
    ),
    ...(repo.guard ? { guard: repo.guard } : {}),
  };
  return {
    spec: repo.specFor(ref),
    repoUrl: repo.url,
    resolve: async (signal) => {
      const resolved = await context.remotes.resolve(remote, ref, signal);
      return {
        ...resolved,
        persistentSpec: repo.specFor(resolved.ref),
        refUrl: repo.refUrlFor(resolved.ref),
      };
    },
  };
}

import type { GitRefContext } from './git-ref.js';
import { chooseRef, gitRepoRef } from './git-ref.js';
import type { RefOptions, RepoProvider, RepoRef } from './types.js';
import { decodeComponent, validateGitUrl } from './validate.js';

/** `git/<url-escaped clone URL>/<ref>`: any git repository reachable over http(s) (or file://). */
export class GitProvider implements RepoProvider {
  readonly prefix = 'git';

  constructor(
    private readonly context: GitRefContext,
    private readonly policy: { allowFileUrls: boolean },
  ) {}

  parse(spec: string, options: RefOptions): RepoRef {
    const slash = spec.indexOf('/');
    const rawUrl = slash === -1 ? spec : spec.slice(0, slash);
    const specRef = slash === -1 ? '' : decodeComponent(spec.slice(slash + 1), 'ref');
    const ref = chooseRef(specRef, options);
    const url = validateGitUrl(decodeComponent(rawUrl, 'repository URL'), this.policy).href;
    const specFor = (revision: string) =>
      `git/${encodeURIComponent(url)}/${encodeURIComponent(revision)}`;
    return gitRepoRef(
      { provider: this.prefix, url, specFor, refUrlFor: () => url, tokenUsername: 'git' },
      ref,
      options,
      this.context,
    );
  }
}

import { formatRepoSpec } from '@binder-cell/launch-protocol';
import type { GitRefContext } from './git-ref.js';
import { chooseRef, gitRepoRef } from './git-ref.js';
import type { AddressGuard } from '../admission/address-guard.js';
import type { RefOptions, RepoProvider, RepoRef, SpecOf } from './types.js';
import { validateGitUrl } from './validate.js';

/** `git/<url-escaped clone URL>/<ref>`: any git repository reachable over http(s) (or file://). */
export class GitProvider implements RepoProvider<'git'> {
  constructor(
    private readonly context: GitRefContext,
    private readonly policy: { allowFileUrls: boolean; guard?: AddressGuard },
  ) {}

  open(spec: SpecOf<'git'>, options: RefOptions): RepoRef {
    const ref = chooseRef(spec.ref, options);
    const parsed = validateGitUrl(spec.url, this.policy);
    const url = parsed.href;
    const { guard } = this.policy;
    return gitRepoRef(
      {
        url,
        specFor: (revision) => formatRepoSpec({ provider: 'git', url, ref: revision }),
        refUrlFor: () => url,
        tokenUsername: 'git',
        ...(guard && parsed.protocol !== 'file:'
          ? { guard: (signal: AbortSignal) => guard.pin(url, signal) }
          : {}),
      },
      ref,
      options,
      this.context,
    );
  }
}

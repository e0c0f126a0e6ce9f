import { formatRepoSpec } from '@binder-cell/launch-protocol';
import type { GitRefContext } from './git-ref.js';
import { chooseRef, gitRepoRef } from './git-ref.js';
import type { RefOptions, RepoProvider, RepoRef, SpecOf } from './types.js';

/** `gl/<url-escaped namespace>/<ref>`: a GitLab project, e.g. `gl/group%2Fsub%2Fproject/main`. */
export class GitLabProvider implements RepoProvider<'gl'> {
  constructor(
    private readonly context: GitRefContext,
    private readonly baseUrl: string,
  ) {}

  open({ namespace, ref: specRef }: SpecOf<'gl'>, options: RefOptions): RepoRef {
    const ref = chooseRef(specRef, options);
    const web = `${this.baseUrl.replace(/\/+$/, '')}/${namespace}`;
    return gitRepoRef(
      {
        url: `${web}.git`,
        specFor: (revision) => formatRepoSpec({ provider: 'gl', namespace, ref: revision }),
        refUrlFor: (commit) => `${web}/-/tree/${commit}`,
        tokenUsername: 'oauth2',
      },
      ref,
      options,
      this.context,
    );
  }
}

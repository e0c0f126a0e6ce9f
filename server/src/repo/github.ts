import { formatRepoSpec } from '@binder-cell/launch-protocol';
import type { GitRefContext } from './git-ref.js';
import { chooseRef, gitRepoRef } from './git-ref.js';
import type { RefOptions, RepoProvider, RepoRef, SpecOf } from './types.js';

/** `gh/<owner>/<repo>/<ref>`: a GitHub repository (or a GitHub-like server at `baseUrl`). */
export class GitHubProvider implements RepoProvider<'gh'> {
  constructor(
    private readonly context: GitRefContext,
    private readonly baseUrl: string,
  ) {}

  open({ owner, name, ref: specRef }: SpecOf<'gh'>, options: RefOptions): RepoRef {
    const ref = chooseRef(specRef, options);
    const web = `${this.baseUrl.replace(/\/+$/, '')}/${owner}/${name}`;
    return gitRepoRef(
      {
        url: `${web}.git`,
        specFor: (revision) => formatRepoSpec({ provider: 'gh', owner, name, ref: revision }),
        refUrlFor: (commit) => `${web}/tree/${commit}`,
        tokenUsername: 'x-access-token',
      },
      ref,
      options,
      this.context,
    );
  }
}

import { badRequest } from '../errors.js';
import type { GitRefContext } from './git-ref.js';
import { chooseRef, gitRepoRef } from './git-ref.js';
import type { RefOptions, RepoProvider, RepoRef } from './types.js';
import { decodeComponent } from './validate.js';

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** `gh/<owner>/<repo>/<ref>`: a GitHub repository (or a GitHub-like server at `baseUrl`). */
export class GitHubProvider implements RepoProvider {
  readonly prefix = 'gh';

  constructor(
    private readonly context: GitRefContext,
    private readonly baseUrl: string,
  ) {}

  parse(spec: string, options: RefOptions): RepoRef {
    const [owner = '', rawName = '', ...rest] = spec.split('/');
    const name = rawName.replace(/\.git$/, '');
    if (!OWNER.test(owner)) throw badRequest(`invalid GitHub owner ${JSON.stringify(owner)}`);
    if (!NAME.test(name) || name === '.' || name === '..') {
      throw badRequest(`invalid GitHub repository name ${JSON.stringify(rawName)}`);
    }
    const ref = chooseRef(decodeComponent(rest.join('/'), 'ref'), options);
    const web = `${this.baseUrl.replace(/\/+$/, '')}/${owner}/${name}`;
    return gitRepoRef(
      {
        provider: this.prefix,
        url: `${web}.git`,
        specFor: (revision) => `gh/${owner}/${name}/${revision}`,
        refUrlFor: (commit) => `${web}/tree/${commit}`,
        tokenUsername: 'x-access-token',
      },
      ref,
      options,
      this.context,
    );
  }
}

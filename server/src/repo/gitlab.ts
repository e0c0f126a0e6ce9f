import { badRequest } from '../errors.js';
import type { GitRefContext } from './git-ref.js';
import { chooseRef, gitRepoRef } from './git-ref.js';
import type { RefOptions, RepoProvider, RepoRef } from './types.js';
import { decodeComponent } from './validate.js';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** `gl/<url-escaped namespace>/<ref>`: a GitLab project, e.g. `gl/group%2Fsub%2Fproject/main`. */
export class GitLabProvider implements RepoProvider {
  readonly prefix = 'gl';

  constructor(
    private readonly context: GitRefContext,
    private readonly baseUrl: string,
  ) {}

  parse(spec: string, options: RefOptions): RepoRef {
    const slash = spec.indexOf('/');
    const rawNamespace = slash === -1 ? spec : spec.slice(0, slash);
    const namespace = decodeComponent(rawNamespace, 'GitLab namespace').replace(/\.git$/, '');
    const segments = namespace.split('/');
    if (segments.length < 2 || !segments.every((segment) => SEGMENT.test(segment))) {
      throw badRequest(
        `invalid GitLab namespace ${JSON.stringify(namespace)}: use group/project, URL-escaped as one part`,
      );
    }
    const ref = chooseRef(
      slash === -1 ? '' : decodeComponent(spec.slice(slash + 1), 'ref'),
      options,
    );
    const web = `${this.baseUrl.replace(/\/+$/, '')}/${namespace}`;
    return gitRepoRef(
      {
        provider: this.prefix,
        url: `${web}.git`,
        specFor: (revision) =>
          `gl/${encodeURIComponent(namespace)}/${encodeURIComponent(revision)}`,
        refUrlFor: (commit) => `${web}/-/tree/${commit}`,
        tokenUsername: 'oauth2',
      },
      ref,
      options,
      this.context,
    );
  }
}

import type { Config } from '../config.js';
import { badRequest } from '../errors.js';
import { GitProvider } from './git.js';
import { GitRemotes } from './git-remotes.js';
import { GitHubProvider } from './github.js';
import { GitLabProvider } from './gitlab.js';
import { LocalProvider } from './local.js';
import type { RefOptions, RepoProvider, RepoRef } from './types.js';

export type { RefOptions, RepoProvider, RepoRef, ResolvedRepo } from './types.js';

/** Picks the provider named by a spec's prefix: `gh/...`, `gl/...`, `git/...`, `local/...`. */
export class RepoProviders {
  private readonly byPrefix: Map<string, RepoProvider>;

  constructor(providers: RepoProvider[]) {
    this.byPrefix = new Map(providers.map((provider) => [provider.prefix, provider]));
  }

  parse(repo: string, options: RefOptions = {}): RepoRef {
    const slash = repo.indexOf('/');
    const prefix = slash === -1 ? repo : repo.slice(0, slash);
    const provider = this.byPrefix.get(prefix);
    if (!provider) {
      throw badRequest(
        `unknown repository provider "${prefix}": use one of ${[...this.byPrefix.keys()].join(', ')}`,
      );
    }
    const spec = slash === -1 ? '' : repo.slice(slash + 1).replace(/\/+$/, '');
    if (spec === '') throw badRequest(`the spec after "${prefix}/" is empty`);
    return provider.parse(spec, options);
  }
}

export function createRepoProviders(config: Config): RepoProviders {
  const { repos } = config;
  const context = {
    remotes: new GitRemotes({
      dataDir: config.dataDir,
      allowFileUrls: repos.allowFileUrls,
      timeoutMs: repos.gitTimeoutSeconds * 1000,
    }),
    credentials: repos.credentials,
  };
  return new RepoProviders([
    new GitHubProvider(context, repos.github.baseUrl),
    new GitLabProvider(context, repos.gitlab.baseUrl),
    new GitProvider(context, { allowFileUrls: repos.allowFileUrls }),
    new LocalProvider(repos.local),
  ]);
}

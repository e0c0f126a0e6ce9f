import type { Config } from '../config.js';
import { badRequest } from '../errors.js';
import { GitProvider } from './git.js';
import { LocalProvider } from './local.js';
import type { RepoProvider, RepoRef } from './types.js';

export type { RepoProvider, RepoRef, ResolvedRepo } from './types.js';

/** Picks the provider named by a spec's prefix: `git/...`, `local/...`. */
export class RepoProviders {
  private readonly byPrefix: Map<string, RepoProvider>;

  constructor(providers: RepoProvider[]) {
    this.byPrefix = new Map(providers.map((provider) => [provider.prefix, provider]));
  }

  parse(repo: string, ref: string | undefined): RepoRef {
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
    return provider.parse(spec, ref);
  }
}

export function createRepoProviders(config: Config): RepoProviders {
  return new RepoProviders([
    new GitProvider({
      dataDir: config.dataDir,
      allowFileUrls: config.repos.allowFileUrls,
      timeoutMs: config.repos.gitTimeoutSeconds * 1000,
    }),
    new LocalProvider(config.repos.local),
  ]);
}

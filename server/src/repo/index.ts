import { parseRepoSpec } from '@binder-cell/launch-protocol';
import { AddressGuard } from '../admission/address-guard.js';
import type { Config } from '../config.js';
import { GitProvider } from './git.js';
import { GitRemotes } from './git-remotes.js';
import { GitHubProvider } from './github.js';
import { GitLabProvider } from './gitlab.js';
import { LocalProvider } from './local.js';
import type { RefOptions, RepoProvider, RepoRef } from './types.js';
import { asBadRequest } from './validate.js';

export type { RefOptions, RepoProvider, RepoRef, ResolvedRepo } from './types.js';

/** One provider for each provider name of the spec grammar. */
export interface ProviderTable {
  gh: RepoProvider<'gh'>;
  gl: RepoProvider<'gl'>;
  git: RepoProvider<'git'>;
  local: RepoProvider<'local'>;
}

/** Reads a spec with the protocol's grammar and hands it to its provider. */
export class RepoProviders {
  constructor(private readonly table: ProviderTable) {}

  /** Throws HttpError: 400 for a spec outside the grammar, else what the provider throws. */
  parse(repo: string, options: RefOptions = {}): RepoRef {
    const spec = asBadRequest(() => parseRepoSpec(repo));
    switch (spec.provider) {
      case 'gh':
        return this.table.gh.open(spec, options);
      case 'gl':
        return this.table.gl.open(spec, options);
      case 'git':
        return this.table.git.open(spec, options);
      case 'local':
        return this.table.local.open(spec, options);
    }
  }
}

/** The providers the configuration describes: git hosts, credentials, local folders. */
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
  return new RepoProviders({
    gh: new GitHubProvider(context, repos.github.baseUrl),
    gl: new GitLabProvider(context, repos.gitlab.baseUrl),
    git: new GitProvider(context, {
      allowFileUrls: repos.allowFileUrls,
      guard: new AddressGuard(config.admission.allowPrivateGitHosts),
    }),
    local: new LocalProvider(repos.local),
  });
}

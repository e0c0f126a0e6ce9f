import { forbidden, notFound } from '../errors.js';
import { chooseRef } from '../repo/git-ref.js';
import { RepoProviders } from '../repo/index.js';
import { LocalProvider } from '../repo/local.js';
import type { RepoProvider } from '../repo/types.js';
import { sha256 } from '../util/files.js';

export interface FakeProviderOptions {
  /** `gh/<owner>/<name>` repositories: `owner/name` -> folder holding every commit's files. */
  github?: Record<string, string>;
  /** Resolving waits for it (to hold a launch in its first phases). */
  resolveGate?: Promise<void>;
  /** Serves `git/` specs (refused when absent). */
  git?: RepoProvider<'git'>;
  /** The commit a ref resolves to now (to move a branch); {@link fakeCommit} by default. */
  commitOf?: (ref: string) => string;
}

/** The commit a fake repository's ref resolves to. */
export function fakeCommit(ref: string): string {
  return sha256(ref).slice(0, 40);
}

/**
 * Repository providers for in-process tests, without git: `gh/` specs come from
 * folders (every ref resolves, except `missing`, to a commit made from its name),
 * `local/` is the real provider, `gl/` is refused and `git/` too unless a provider is given.
 */
export function fakeProviders(options: FakeProviderOptions = {}): RepoProviders {
  const github: RepoProvider<'gh'> = {
    open: ({ owner, name, ref: specRef }, refOptions) => {
      const ref = chooseRef(specRef, refOptions);
      const folder = options.github?.[`${owner}/${name}`];
      if (folder === undefined) throw notFound(`no repository ${owner}/${name} in this test`);
      return {
        spec: `gh/${owner}/${name}/${ref}`,
        repoUrl: `https://github.test/${owner}/${name}`,
        resolve: async () => {
          await options.resolveGate;
          if (ref === 'missing') throw notFound(`ref "${ref}" not found`);
          const commit = (options.commitOf ?? fakeCommit)(ref);
          return {
            ref: commit,
            persistentSpec: `gh/${owner}/${name}/${commit}`,
            refUrl: `https://github.test/${owner}/${name}/tree/${commit}`,
            fetch: (_signal, log) => {
              log(`Fetching ${commit}`);
              return Promise.resolve(folder);
            },
          };
        },
      };
    },
  };
  const refused = {
    open: () => {
      throw forbidden('this provider is not served in this test');
    },
  };
  return new RepoProviders({
    gh: github,
    gl: refused,
    git: options.git ?? refused,
    local: new LocalProvider({}),
  });
}

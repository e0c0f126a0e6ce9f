import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError, badRequest, notFound } from '../errors.js';
import { CommandError } from '../util/command.js';
import { exists, sha256 } from '../util/files.js';
import { KeyedMutex, SingleFlight } from '../util/keyed.js';
import { git } from './git-command.js';
import type { GitPolicy } from './git-command.js';
import type { RepoProvider, RepoRef, ResolvedRepo } from './types.js';
import { decodeComponent, isFullCommit, validateGitUrl, validateRef } from './validate.js';

export interface GitProviderOptions extends GitPolicy {
  dataDir: string;
}

/** `git/<url-escaped clone URL>/<ref>`: any git repository reachable over http(s) (or file://). */
export class GitProvider implements RepoProvider {
  readonly prefix = 'git';
  private readonly fetches = new SingleFlight<string>();
  private readonly repoLocks = new KeyedMutex();

  constructor(private readonly options: GitProviderOptions) {}

  parse(spec: string, ref: string | undefined): RepoRef {
    const slash = spec.indexOf('/');
    const rawUrl = slash === -1 ? spec : spec.slice(0, slash);
    const specRef = slash === -1 ? '' : decodeComponent(spec.slice(slash + 1), 'ref');
    if (specRef !== '' && ref !== undefined && ref !== specRef) {
      throw badRequest(
        `the ref is given twice ("${specRef}" in the spec, "${ref}" in the request)`,
      );
    }
    const url = validateGitUrl(decodeComponent(rawUrl, 'repository URL'), this.options);
    return this.ref(url.href, validateRef(specRef || ref || 'HEAD'));
  }

  private ref(url: string, ref: string): RepoRef {
    const specFor = (revision: string) =>
      `git/${encodeURIComponent(url)}/${encodeURIComponent(revision)}`;
    return {
      provider: this.prefix,
      spec: specFor(ref),
      repoUrl: url,
      resolve: async (signal) => {
        const commit = isFullCommit(ref) ? ref : await this.lsRemote(url, ref, signal);
        return {
          ref: commit,
          persistentSpec: specFor(commit),
          fetch: (fetchSignal, log) => this.fetch(url, commit, ref, fetchSignal, log),
        } satisfies ResolvedRepo;
      },
    };
  }

  private async lsRemote(url: string, ref: string, signal: AbortSignal): Promise<string> {
    let stdout: string;
    try {
      ({ stdout } = await git(['ls-remote', '--', url], this.options, { signal }));
    } catch (error) {
      throw gitFailure(`could not read the repository ${url}`, error);
    }
    const refs = parseLsRemote(stdout);
    for (const candidate of refCandidates(ref)) {
      const commit = refs.get(candidate);
      if (commit) return commit;
    }
    throw notFound(`ref "${ref}" not found in ${url}: check the branch or tag name`);
  }

  private async fetch(
    url: string,
    commit: string,
    ref: string,
    signal: AbortSignal,
    log: (line: string) => void,
  ): Promise<string> {
    const key = sha256(url).slice(0, 16);
    const snapshot = join(this.options.dataDir, 'snapshots', `git-${key}-${commit}`);
    if (await exists(snapshot)) {
      log(`Using the cached checkout of ${commit}`);
      return snapshot;
    }
    return this.fetches.run(snapshot, () =>
      this.repoLocks.lock(key, () => this.checkout(url, key, commit, ref, snapshot, signal, log)),
    );
  }

  private async checkout(
    url: string,
    key: string,
    commit: string,
    ref: string,
    snapshot: string,
    signal: AbortSignal,
    log: (line: string) => void,
  ): Promise<string> {
    const gitDir = join(this.options.dataDir, 'git', `${key}.git`);
    if (!(await exists(gitDir))) {
      await git(['init', '--bare', '--quiet', gitDir], this.options, { signal });
    }
    log(`Fetching ${commit} from ${url}`);
    const fetch = (what: string) =>
      git(
        ['--git-dir', gitDir, 'fetch', '--depth', '1', '--no-tags', '--progress', '--', url, what],
        this.options,
        { signal, onLine: log },
      );
    try {
      await fetch(commit);
    } catch (error) {
      // Servers that refuse to serve an arbitrary commit still serve the ref it came from.
      if (isFullCommit(ref)) throw gitFailure(`could not fetch ${commit} from ${url}`, error);
      await fetch(ref).catch((second: unknown) => {
        throw gitFailure(`could not fetch ${ref} from ${url}`, second);
      });
    }
    await git(['--git-dir', gitDir, 'cat-file', '-e', `${commit}^{commit}`], this.options, {
      signal,
    }).catch(() => {
      throw notFound(`commit ${commit} is not in ${url}`);
    });

    const partial = `${snapshot}.partial-${randomBytes(4).toString('hex')}`;
    await mkdir(partial, { recursive: true });
    try {
      await git(
        ['--git-dir', gitDir, '--work-tree', partial, 'checkout', '--force', commit, '--', '.'],
        this.options,
        { signal, env: { GIT_INDEX_FILE: `${partial}.index` } },
      );
      await rename(partial, snapshot);
    } finally {
      await rm(partial, { recursive: true, force: true });
      await rm(`${partial}.index`, { force: true });
    }
    return snapshot;
  }
}

/** Maps ref names to commits from `git ls-remote` output; peeled tags (`^{}`) are kept as such. */
export function parseLsRemote(stdout: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [commit, name] = line.split('\t');
    if (commit && name) refs.set(name, commit);
  }
  return refs;
}

/** The ref names a short ref may stand for, in git's order of precedence (tags before branches). */
export function refCandidates(ref: string): string[] {
  if (ref === 'HEAD') return ['HEAD'];
  if (ref.startsWith('refs/')) return [`${ref}^{}`, ref];
  return [`refs/tags/${ref}^{}`, `refs/tags/${ref}`, `refs/heads/${ref}`];
}

function gitFailure(what: string, error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const detail =
    error instanceof CommandError
      ? (error.tail.filter((line) => /fatal|error/i.test(line)).at(-1) ?? error.message)
      : String(error);
  return notFound(`${what}: ${detail.replace(/^fatal: /, '')}`);
}

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError, notFound } from '../errors.js';
import { CommandError } from '../util/command.js';
import { exists, sha256 } from '../util/files.js';
import { KeyedMutex, SingleFlight } from '../util/keyed.js';
import { git, isGitProgress } from './git-command.js';
import type { GitCredentials, GitOptions, GitPolicy } from './git-command.js';
import type { ResolvedRepo } from './types.js';
import { isFullCommit } from './validate.js';

export interface GitRemotesOptions extends GitPolicy {
  dataDir: string;
}

/** One git repository to read, with the credentials that may read it. */
export interface GitRemote {
  url: string;
  credentials?: GitCredentials;
  /**
   * Checks where the URL leads before anything connects, and returns git configuration
   * that keeps git there; throws HttpError when the remote is refused.
   */
  guard?: (signal: AbortSignal) => Promise<string[]>;
}

/**
 * Resolves refs and fetches commits of git repositories, for every git-based provider.
 * Each commit is fetched once (shallowly, into a bare cache) and checked out once.
 */
export class GitRemotes {
  private readonly fetches = new SingleFlight<string>();
  private readonly repoLocks = new KeyedMutex();

  constructor(private readonly options: GitRemotesOptions) {}

  /**
   * The commit `ref` names. Always asks the remote, even for a full commit, so that
   * a cached checkout of a private repository is never handed to someone who cannot read it.
   */
  async resolve(
    remote: GitRemote,
    ref: string,
    signal: AbortSignal,
  ): Promise<Omit<ResolvedRepo, 'persistentSpec' | 'refUrl'>> {
    const pinned = { ...remote, config: await remote.guard?.(signal) };
    let stdout: string;
    try {
      ({ stdout } = await git(['ls-remote', '--', remote.url], this.options, {
        signal,
        ...this.remoteOptions(pinned),
      }));
    } catch (error) {
      throw gitFailure(`could not read the repository ${remote.url}`, error);
    }
    const commit = isFullCommit(ref) ? ref : findRef(parseLsRemote(stdout), ref);
    if (!commit) {
      throw notFound(`ref "${ref}" not found in ${remote.url}: check the branch or tag name`);
    }
    return {
      ref: commit,
      fetch: (fetchSignal, log) => this.fetch(pinned, commit, ref, fetchSignal, log),
    };
  }

  private async fetch(
    remote: PinnedRemote,
    commit: string,
    ref: string,
    signal: AbortSignal,
    log: (line: string) => void,
  ): Promise<string> {
    const key = sha256(remote.url).slice(0, 16);
    const snapshot = join(this.options.dataDir, 'snapshots', `git-${key}-${commit}`);
    if (await exists(snapshot)) {
      log(`Using the cached checkout of ${commit}`);
      return snapshot;
    }
    return this.fetches.run(snapshot, () =>
      this.repoLocks.lock(key, () =>
        this.checkout(remote, key, commit, ref, snapshot, signal, log),
      ),
    );
  }

  private async checkout(
    remote: PinnedRemote,
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
    log(`Fetching ${commit} from ${remote.url}`);
    const fetchOnce = (what: string, shallow: boolean) =>
      git(
        [
          '--git-dir',
          gitDir,
          'fetch',
          ...(shallow ? ['--depth', '1'] : []),
          '--no-tags',
          '--progress',
          '--',
          remote.url,
          what,
        ],
        this.options,
        {
          signal,
          onLine: (line) => {
            if (!isGitProgress(line)) log(line);
          },
          ...this.remoteOptions(remote),
        },
      );
    // Git's "dumb" HTTP transport (a repository served as plain files) cannot fetch shallowly.
    const fetch = (what: string) =>
      fetchOnce(what, true).catch((error: unknown) => {
        if (!saidByGit(error, /does not support shallow/i)) throw error;
        log('This server serves git without shallow fetches: fetching the whole history');
        return fetchOnce(what, false);
      });
    try {
      await fetch(commit);
    } catch (error) {
      // Servers that refuse to serve an arbitrary commit still serve the ref it came from.
      if (isFullCommit(ref))
        throw gitFailure(`could not fetch ${commit} from ${remote.url}`, error);
      await fetch(ref).catch((second: unknown) => {
        throw gitFailure(`could not fetch ${ref} from ${remote.url}`, second);
      });
    }
    await git(['--git-dir', gitDir, 'cat-file', '-e', `${commit}^{commit}`], this.options, {
      signal,
    }).catch(() => {
      throw notFound(`commit ${commit} is not in ${remote.url}`);
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

  private remoteOptions(remote: PinnedRemote): Pick<GitOptions, 'credentials' | 'config'> {
    return {
      ...(remote.credentials
        ? { credentials: { url: remote.url, credentials: remote.credentials } }
        : {}),
      ...(remote.config ? { config: remote.config } : {}),
    };
  }
}

/** A remote with the git configuration its guard returned. */
interface PinnedRemote extends GitRemote {
  config: string[] | undefined;
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

function findRef(refs: Map<string, string>, ref: string): string | undefined {
  return refCandidates(ref)
    .map((candidate) => refs.get(candidate))
    .find((commit) => commit !== undefined);
}

/** Whether a failed git command printed a line matching `pattern`. */
function saidByGit(error: unknown, pattern: RegExp): boolean {
  return error instanceof CommandError && error.tail.some((line) => pattern.test(line));
}

/** Git's words for a host it could not reach (as opposed to a repository or ref that is not there). */
const UNREACHABLE =
  /Could not resolve host|Failed to connect|Connection refused|Connection timed out|Operation timed out|Connection reset|returned error: 5\d\d|RPC failed/i;

/**
 * The HttpError for a failed git command: 503 when the host could not be reached (the
 * server's network, or the host, is down: try again later), else 404.
 */
function gitFailure(what: string, error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const detail = (
    error instanceof CommandError
      ? (error.tail.filter((line) => /fatal|error/i.test(line)).at(-1) ?? error.message)
      : String(error)
  ).replace(/^fatal: /, '');
  if (saidByGit(error, UNREACHABLE)) {
    return new HttpError(503, `${what}: the server cannot reach it right now (${detail})`);
  }
  return notFound(`${what}: ${detail}`);
}

import { HttpError } from '../errors.js';
import type { AdmissionSettings } from './config.js';
import { repoMatcher, sessionRepoName } from './repo-name.js';

/**
 * Sessions per repository: each repository may have as many sessions (running, plus
 * launches under way) as the first quota whose pattern matches its name allows.
 */
export class RepoQuotas {
  private readonly quotas: { pattern: string; max: number; matches: (name: string) => boolean }[];
  private readonly pending = new Map<string, number>();

  /** `running` lists the recorded repo specs of the running sessions. */
  constructor(
    settings: Pick<AdmissionSettings, 'quotas'>,
    private readonly running: () => Iterable<string>,
  ) {
    this.quotas = settings.quotas.map(({ pattern, maxSessions }) => ({
      pattern,
      max: maxSessions,
      matches: repoMatcher(pattern),
    }));
  }

  /** Counts a launch of `name`; throws 503 naming the quota when it is reached. Returns the release. */
  reserve(name: string): () => void {
    const key = name.toLowerCase();
    const quota = this.quotas.find(({ matches }) => matches(name));
    if (quota) {
      let count = this.pending.get(key) ?? 0;
      for (const spec of this.running()) {
        if (sessionRepoName(spec).toLowerCase() === key) count += 1;
      }
      if (count >= quota.max) {
        throw new HttpError(
          503,
          `${name} already has its maximum of ${quota.max} sessions on this server ` +
            `(admission.quotas, pattern "${quota.pattern}"); try again in a few minutes`,
        );
      }
    }
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.pending.get(key) ?? 1) - 1;
      if (left > 0) this.pending.set(key, left);
      else this.pending.delete(key);
    };
  }
}

import { forbidden } from '../errors.js';
import type { AdmissionSettings } from './config.js';
import { repoMatcher } from './repo-name.js';

/**
 * The operator's banned and allowed repositories (globs over repository names, see
 * `repoName`), like BinderHub's `banned_specs` (regexes over specs there).
 */
export class RepoRules {
  private readonly banned: { matches: (name: string) => boolean; message: string }[];
  private readonly allowed: ((name: string) => boolean)[];

  constructor(settings: Pick<AdmissionSettings, 'banned' | 'allowed'>) {
    this.banned = settings.banned.map(({ pattern, message }) => ({
      matches: repoMatcher(pattern),
      message,
    }));
    this.allowed = settings.allowed.map(repoMatcher);
  }

  /** Throws 403 with the operator's message for a banned repository or one not allowed. */
  check(name: string): void {
    const ban = this.banned.find(({ matches }) => matches(name));
    if (ban) throw forbidden(`${name} may not be launched on this server: ${ban.message}`);
    if (this.allowed.length > 0 && !this.allowed.some((matches) => matches(name))) {
      throw forbidden(`${name} is not among the repositories this server launches`);
    }
  }
}

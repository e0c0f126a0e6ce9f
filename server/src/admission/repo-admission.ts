import { isImageLaunch, parseRepoSpec } from '@binder-cell/launch-protocol';
import type { LaunchRequest } from '@binder-cell/launch-protocol';
import { asBadRequest } from '../repo/validate.js';
import type { AdmissionSettings } from './config.js';
import { repoName } from './repo-name.js';
import { RepoQuotas } from './repo-quotas.js';
import { RepoRules } from './repo-rules.js';

/** Whether a repository may launch now: the operator's bans and allow-list, then its quota. */
export class RepoAdmission {
  private readonly rules: RepoRules;
  private readonly quotas: RepoQuotas;

  /** `running` lists the recorded repo specs of the running sessions. */
  constructor(settings: AdmissionSettings, running: () => Iterable<string>) {
    this.rules = new RepoRules(settings);
    this.quotas = new RepoQuotas(settings, running);
  }

  /**
   * Admits a launch, counting it against its repository's quota until the returned
   * release is called. Throws HttpError: 400 (spec outside the grammar), 403 (banned or
   * not allowed), 503 (quota reached).
   */
  admit(request: LaunchRequest): () => void {
    const name = isImageLaunch(request)
      ? `image/${request.image}`
      : repoName(asBadRequest(() => parseRepoSpec(request.repo)));
    this.rules.check(name);
    return this.quotas.reserve(name);
  }
}

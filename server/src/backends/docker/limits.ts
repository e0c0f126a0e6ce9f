import picomatch from 'picomatch';
import type { Resources } from '../../admission/resources.js';
import { memoryBytes } from '../../util/sizes.js';

/** What a session container may use, in Docker's units. */
export interface ResourceLimits {
  memoryBytes: number;
  nanoCpus: number;
  pids: number;
}

export interface LimitSettings {
  memory?: string;
  cpus?: number;
  pids?: number;
}

/** Limits for a repository: the first rule whose glob matches its spec, over the defaults. */
export function limitsResolver(
  defaults: Required<LimitSettings>,
  rules: readonly (LimitSettings & { match: string })[],
): (repo: string) => ResourceLimits {
  const matchers = rules.map((rule) => ({ rule, matches: picomatch(rule.match) }));
  return (repo) => {
    const rule = matchers.find(({ matches }) => matches(repo))?.rule;
    const settings = { ...defaults, ...rule };
    return {
      memoryBytes: memoryBytes(settings.memory),
      nanoCpus: Math.round(settings.cpus * 1e9),
      pids: settings.pids,
    };
  };
}

/** The repository's limits with what its session was granted (binder/resources.json) in their place. */
export function withGranted(
  limits: ResourceLimits,
  granted: Resources | undefined,
): ResourceLimits {
  return {
    ...limits,
    ...(granted?.memoryBytes !== undefined ? { memoryBytes: granted.memoryBytes } : {}),
    ...(granted?.cpus !== undefined ? { nanoCpus: Math.round(granted.cpus * 1e9) } : {}),
  };
}

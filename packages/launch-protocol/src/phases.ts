/** Phases a launch passes through, in order; it ends in `ready` or `failed`. */
export const LAUNCH_PHASES = [
  'waiting',
  'resolving',
  'fetching',
  'building',
  'launching',
  'ready',
  'failed',
] as const;

export type LaunchPhase = (typeof LAUNCH_PHASES)[number];

export type ProgressPhase = Exclude<LaunchPhase, 'ready' | 'failed'>;

/** HTTP status a failed launch would have answered with. */
export const FAILURE_STATUSES = [400, 401, 403, 404, 413, 422, 429, 500, 503] as const;

export type FailureStatus = (typeof FAILURE_STATUSES)[number];

export function isLaunchPhase(value: unknown): value is LaunchPhase {
  return typeof value === 'string' && (LAUNCH_PHASES as readonly string[]).includes(value);
}

export function isFailureStatus(value: unknown): value is FailureStatus {
  return typeof value === 'number' && (FAILURE_STATUSES as readonly number[]).includes(value);
}

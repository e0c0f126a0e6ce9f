/** The step of a launch a backend failed in: building the environment, or starting the session. */
export type BackendStep = 'build' | 'start';

/**
 * The one error backends throw for what went wrong in a build or a session start, with
 * the last lines of output that explain it. A failed build is the repository's doing
 * (422); a failed start is the server's (500) unless its cause is the repository's (422).
 */
export class BackendError extends Error {
  override name = 'BackendError';

  constructor(
    readonly step: BackendStep,
    message: string,
    /** The last lines the build or the kernel server printed. */
    readonly tail: readonly string[] = [],
    /** For a start: whether the repository (its image or start script) made it fail. */
    readonly repositoryFault = step === 'build',
  ) {
    super(message);
  }

  get status(): 422 | 500 {
    return this.repositoryFault ? 422 : 500;
  }
}

export const buildFailed = (message: string, tail: readonly string[] = []) =>
  new BackendError('build', message, tail);

export const startFailed = (
  message: string,
  tail: readonly string[] = [],
  repositoryFault = false,
) => new BackendError('start', message, tail, repositoryFault);

/**
 * Why a build step's signal stopped it: `took longer than the build timeout` for the
 * timeout (AbortSignal.timeout's TimeoutError), else `was stopped: <the reason>` (the server
 * shutting down).
 */
export function stoppedBecause(signal: AbortSignal): string {
  const reason = signal.reason as Error | undefined;
  if (reason?.name === 'TimeoutError') return 'took longer than the build timeout and was stopped';
  return `was stopped: ${reason?.message ?? 'aborted'}`;
}

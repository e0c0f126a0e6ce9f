import { anyWithTimeout } from '../../util/abortable.js';
import { startFailed } from './backend-error.js';
import { EarlyExitError } from './start-diagnosis.js';

/** One start of a kernel server, for startWithDeadline; `T` is what a successful start gives. */
export interface StartAttempt<T> {
  /** What is starting, as the error message names it: `the session container`. */
  what: string;
  /** config `sessions.startTimeoutSeconds`, in ms. */
  timeoutMs: number;
  /** Aborted when nobody waits for the launch any more; that abort is passed on as it came. */
  signal: AbortSignal;
  /** Waits until the server answers; `deadline` aborts at the timeout or with `signal`. */
  untilReady(deadline: AbortSignal): Promise<T>;
  /** After a failure: stops what was started and gives the server's last lines of output. */
  stopAfterFailure(): Promise<readonly string[]>;
}

/**
 * Waits for a kernel server to answer within the start timeout. On failure it stops the
 * server and throws BackendError (start) with its last lines; an abandoned launch
 * rethrows the abort instead.
 */
export async function startWithDeadline<T>(attempt: StartAttempt<T>): Promise<T> {
  const { signal, timeoutMs } = attempt;
  const deadline = anyWithTimeout([signal], timeoutMs);
  try {
    return await attempt.untilReady(deadline);
  } catch (error) {
    const tail = await attempt.stopAfterFailure();
    if (signal.aborted) throw error;
    const reason = deadline.aborted
      ? `did not start within ${timeoutMs / 1000} s`
      : (error as Error).message;
    const repositoryFault =
      !deadline.aborted && error instanceof EarlyExitError && error.repositoryFault;
    throw startFailed(`${attempt.what} ${reason}`, tail, repositoryFault);
  }
}

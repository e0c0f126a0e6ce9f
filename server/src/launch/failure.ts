import type { FailedEvent } from '@binder-cell/launch-protocol';
import { BackendError } from '../backends/shared/backend-error.js';
import { HttpError } from '../errors.js';

/**
 * Turns any pipeline error into the `failed` event a person can act on: HttpError with its
 * status, a failed build (422) or session start (500) with the last lines of output, and
 * anything else as the server's own fault, without details (they go to the log).
 */
export function failureEvent(error: unknown): FailedEvent {
  if (error instanceof HttpError) {
    return { phase: 'failed', status: error.status, message: error.message };
  }
  if (error instanceof BackendError) {
    const what =
      error.step === 'build'
        ? 'The environment could not be built'
        : 'The session could not be started';
    return {
      phase: 'failed',
      status: error.status,
      message: withTail(`${what}: ${error.message}.`, error.tail),
    };
  }
  return {
    phase: 'failed',
    status: 500,
    message: 'The launch failed because of an error in the server; it has been logged.',
  };
}

function withTail(message: string, tail: readonly string[]): string {
  return tail.length === 0 ? message : `${message}\nLast lines of output:\n${tail.join('\n')}`;
}

import { describe, expect, it } from 'vitest';
import { BackendError } from './backend-error.js';
import { startWithDeadline } from './start-deadline.js';
import type { StartAttempt } from './start-deadline.js';

/** An attempt that records whether it was stopped after a failure. */
function attempt(
  untilReady: StartAttempt<void>['untilReady'],
  signal = new AbortController().signal,
) {
  const record = { stopped: false };
  const start: StartAttempt<void> = {
    what: 'the kernel server',
    timeoutMs: 50,
    signal,
    untilReady,
    stopAfterFailure: () => {
      record.stopped = true;
      return Promise.resolve(['last line']);
    },
  };
  return { start, record };
}

/** Never ready: fails only when the deadline aborts. */
const neverReady: StartAttempt<void>['untilReady'] = (deadline) =>
  new Promise((_resolve, reject) => {
    const fail = () => reject(deadline.reason as Error);
    if (deadline.aborted) fail();
    else deadline.addEventListener('abort', fail);
  });

describe('startWithDeadline', () => {
  it('lets a server that answers in time go on', async () => {
    const { start, record } = attempt(() => Promise.resolve());
    await startWithDeadline(start);
    expect(record.stopped).toBe(false);
  });

  it('stops a server that does not answer in time and says so, with its last lines', async () => {
    const { start, record } = attempt(neverReady);
    const failure = startWithDeadline(start);
    await expect(failure).rejects.toThrow(BackendError);
    await expect(failure).rejects.toMatchObject({
      step: 'start',
      message: 'the kernel server did not start within 0.05 s',
      tail: ['last line'],
    });
    expect(record.stopped).toBe(true);
  });

  it('passes on why a server could not start', async () => {
    const { start } = attempt(() => Promise.reject(new Error('exited while starting')));
    await expect(startWithDeadline(start)).rejects.toMatchObject({
      message: 'the kernel server exited while starting',
    });
  });

  it('passes an abandoned launch on as it came, after stopping the server', async () => {
    const abandoned = new AbortController();
    abandoned.abort(new Error('the client went away'));
    const { start, record } = attempt(neverReady, abandoned.signal);
    await expect(startWithDeadline(start)).rejects.toThrow('the client went away');
    expect(record.stopped).toBe(true);
  });
});

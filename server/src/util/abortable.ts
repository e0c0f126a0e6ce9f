/** Waits for `promise` unless `signal` aborts first; the work behind the promise goes on. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * `AbortSignal.any([...signals, AbortSignal.timeout(timeoutMs)])`, except that the timeout
 * fires. Node 20 lets the garbage collector take a timeout signal that only AbortSignal.any
 * refers to, and the combined signal then never times out (nodejs/node#57736). The reason on
 * timeout is a DOMException named `TimeoutError`, as AbortSignal.timeout's; `timeoutMs` in ms.
 */
export function anyWithTimeout(signals: AbortSignal[], timeoutMs: number): AbortSignal {
  const timeout = new AbortController();
  const timer = setTimeout(
    () =>
      timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    timeoutMs,
  );
  timer.unref();
  const combined = AbortSignal.any([...signals, timeout.signal]);
  combined.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return combined;
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { anyWithTimeout } from './abortable.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('anyWithTimeout', () => {
  it('times out after a garbage collection, which AbortSignal.any of AbortSignal.timeout may not (nodejs/node#57736)', async () => {
    const parent = new AbortController();
    const reasons: unknown[] = [];
    const signals = Array.from({ length: 20 }, () => {
      const signal = anyWithTimeout([parent.signal], 100);
      signal.addEventListener('abort', () => reasons.push(signal.reason));
      return signal;
    });
    // Collected only once the turn that created them is over.
    await sleep(10);
    gc();
    await sleep(300);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(reasons.map((reason) => (reason as Error).name)).toEqual(Array(20).fill('TimeoutError'));
  });

  it('aborts with the reason of a given signal that aborts first', () => {
    const parent = new AbortController();
    const signal = anyWithTimeout([parent.signal], 60_000);
    parent.abort(new Error('the reader left'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('the reader left');
  });
});

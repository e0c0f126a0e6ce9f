import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` every 200 ms until it holds, for at most `ms` (30 s by default); true when
 * it came to hold, false otherwise (the caller asserts, so a failure names what it waited for).
 */
export async function until(check: () => Promise<boolean>, ms = 30_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms; await sleep(200)) {
    if (await check()) return true;
  }
  return check();
}

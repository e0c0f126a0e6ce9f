import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from '../errors.js';

/** What a launch asked for while the server shuts down is told (503). */
export const REFUSED_WHILE_STOPPING =
  'This server is shutting down and takes no new launches; launch again in a moment.';

/** What a launch under way when the server began to shut down ends with (503). */
export const INTERRUPTED_BY_STOP =
  'The server shut down while this launch was under way, so the launch (and any build it waited for) was stopped; launch again in a moment.';

/** What a client reconnecting to a launch of an earlier run of the server is told (503). */
export const INTERRUPTED_BY_RESTART =
  'The server restarted while this launch was under way, so the launch (and any build it waited for) was stopped; launch again.';

/**
 * The server's shutdown as launches see it: once it begins, new launches are refused
 * with 503, launches under way fail with 503 (their event streams end with `failed`),
 * and the server waits for them to wind up before it closes its connections.
 */
export class LaunchShutdown {
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();

  /** Aborted, with the 503 HttpError launches under way fail with, once shutdown begins. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** Throws HttpError 503 once shutdown has begun. */
  refuseIfStopping(): void {
    if (this.stopping.signal.aborted) throw new HttpError(503, REFUSED_WHILE_STOPPING);
  }

  /** Keeps track of a launch under way until it settles. */
  track(launch: Promise<void>): Promise<void> {
    this.running.add(launch);
    void launch.finally(() => this.running.delete(launch));
    return launch;
  }

  /**
   * Begins shutdown and waits until every launch under way has ended, for at most
   * `waitMs` (a launch stopping a half-started session takes a few seconds).
   */
  async stop(waitMs: number): Promise<void> {
    if (!this.stopping.signal.aborted) {
      this.stopping.abort(new HttpError(503, INTERRUPTED_BY_STOP));
    }
    const settled = Promise.allSettled([...this.running]).then(() => undefined);
    await Promise.race([settled, sleep(waitMs, undefined, { ref: false })]);
  }
}

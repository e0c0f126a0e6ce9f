import { anyWithTimeout } from '../util/abortable.js';
import type { Logger } from 'pino';
import type { RepoRef } from '../repo/index.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { TakenElsewhere } from './assignments.js';
import type { Assignments } from './assignments.js';
import { warmUpKernel } from './kernel-warmup.js';
import { findPoolKernel, startPoolKernel } from './pool-kernel.js';
import type { ClaimedSession, PoolMember, PoolSessionStarter, UnassignedSession } from './types.js';

export interface WarmPoolOptions {
  /** The pool's key, put on its sessions' labels. */
  key: string;
  repo: RepoRef;
  kernel: string;
  size: number;
  /** How often the ref is resolved again and old members replaced (ms). */
  refreshMs: number;
  /** How long a member may wait in the pool before it is replaced (ms): sessions' maximum age. */
  maxWaitMs: number;
  registry: SessionRegistry;
  assignments: Assignments;
  logger: Logger;
}

/** A member with the registry place it holds, so that pool sessions count against quotas. */
interface Held extends PoolMember {
  release: () => void;
}

/** How long a member's kernel may take to start (ms). */
const KERNEL_START_MS = 60_000;

/**
 * One warm pool: keeps `size` sessions of one spec and kernel running, each with its
 * kernel started, at the commit the spec resolved to last; refills in the background when
 * a launch takes one, when one exits, and on every refresh. Each member (and each one
 * being started) holds a place in the registry, so pools never take the server past
 * `sessions.maxSessions`: a pool that finds the server full waits for the next refresh.
 */
export class WarmPool {
  private readonly members: Held[] = [];
  private starting = 0;
  /** The commit the spec resolved to last; members of other commits are replaced. */
  private commit: string | undefined;
  private starter: PoolSessionStarter | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly stopping = new AbortController();
  /** Set after a failed start: no new start until the next refresh. */
  private failed = false;

  constructor(private readonly options: WarmPoolOptions) {}

  /** Ready members, and members being started. */
  get counts(): { ready: number; starting: number } {
    return { ready: this.members.length, starting: this.starting };
  }

  /** Resolves the spec, fills the pool, and does so again every `refreshMs`. */
  start(starter: PoolSessionStarter): void {
    this.starter = starter;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs);
    this.timer.unref();
  }

  /** Takes a ready member out of the pool (and starts its replacement). */
  claim(): ClaimedSession | undefined {
    const member = this.members.shift();
    if (!member) return undefined;
    this.fill();
    return {
      member,
      assign: async (session, signal) => {
        if (signal.aborted) {
          this.members.unshift(member);
          throw signal.reason as Error;
        }
        try {
          await this.options.assignments.write(session);
        } catch (error) {
          member.release();
          // Another server's reader has it now: it is theirs to stop.
          if (!(error instanceof TakenElsewhere)) await member.server.stop();
          this.fill();
          throw error;
        }
        return member.release;
      },
    };
  }

  /**
   * Takes back a member a pool of this key started before a restart: it waits in the pool
   * again, its kernel found (or started) anew. Stops it when the pool is full, the server
   * is, it waited too long, or its kernel cannot start.
   */
  async adopt(adopted: UnassignedSession): Promise<void> {
    const { session, server } = adopted;
    const tooOld = Date.now() - session.createdAt >= this.options.maxWaitMs;
    let release: (() => void) | undefined;
    try {
      if (tooOld || this.members.length + this.starting >= this.options.size) {
        throw new Error('not needed');
      }
      release = this.options.registry.reserve();
      const signal = AbortSignal.timeout(KERNEL_START_MS);
      const kernelId =
        (await findPoolKernel(server, this.options.kernel, signal)) ??
        (await startPoolKernel(server, this.options.kernel, signal));
      this.keep({ ...adopted, kernelId, release });
    } catch (error) {
      release?.();
      this.options.logger.info(
        { sessionId: session.id, pool: this.options.key, reason: (error as Error).message },
        'not taking a pool session back; stopping it',
      );
      await this.stopUnclaimed(adopted);
    }
  }

  /** Stops filling; stops the members too unless `keepRunning` (they outlive the server). */
  async close(keepRunning: boolean): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort(new Error('the server is stopping'));
    const members = this.members.splice(0);
    for (const member of members) member.release();
    if (!keepRunning) await Promise.all(members.map((member) => member.server.stop()));
  }

  private async refresh(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.failed = false;
    const { signal, done } = this.untilStopping();
    try {
      this.commit = (await this.options.repo.resolve(signal)).ref;
    } catch (error) {
      this.options.logger.warn({ err: error, pool: this.options.key }, 'could not resolve a pool');
    } finally {
      done();
    }
    const now = Date.now();
    const stale = this.members.filter(
      (member) =>
        (this.commit !== undefined && member.session.ref !== this.commit) ||
        now - member.session.createdAt >= this.options.maxWaitMs,
    );
    for (const member of stale) this.drop(member);
    this.fill();
  }

  private fill(): void {
    while (
      this.starter &&
      !this.failed &&
      !this.stopping.signal.aborted &&
      this.members.length + this.starting < this.options.size
    ) {
      let release: () => void;
      try {
        release = this.options.registry.reserve();
      } catch {
        return; // the server is full: try again on the next refresh
      }
      this.starting += 1;
      void this.startMember(this.starter, release).finally(() => (this.starting -= 1));
    }
  }

  private async startMember(starter: PoolSessionStarter, release: () => void): Promise<void> {
    const { repo, kernel, key, maxWaitMs } = this.options;
    const { signal, done } = this.untilStopping();
    let started: UnassignedSession | undefined;
    try {
      // Labelled to live twice the maximum age: it waits at most that long here, and a
      // reader who takes it late still gets a whole session.
      started = await starter(repo, kernel, key, Date.now() + 2 * maxWaitMs, signal);
      const kernelSignal = anyWithTimeout([signal], KERNEL_START_MS);
      const kernelId = await startPoolKernel(started.server, kernel, kernelSignal);
      await warmUpKernel(started.server, kernelId, kernelSignal);
      signal.throwIfAborted();
      this.keep({ ...started, kernelId, release });
      this.options.logger.info({ sessionId: started.session.id, pool: key }, 'pool session ready');
    } catch (error) {
      release();
      await started?.server.stop();
      if (signal.aborted) return;
      this.failed = true;
      this.options.logger.warn({ err: error, pool: key }, 'could not start a pool session');
    } finally {
      done();
    }
  }

  /**
   * A signal of its own for one piece of work, aborted when the pool closes: the pool lives
   * as long as the server, so listeners the work leaves on it must not pile up on the
   * pool's own signal. Call `done` when the work is over.
   */
  private untilStopping(): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const stopping = this.stopping.signal;
    const abort = () => controller.abort(stopping.reason);
    if (stopping.aborted) abort();
    else stopping.addEventListener('abort', abort, { once: true });
    return { signal: controller.signal, done: () => stopping.removeEventListener('abort', abort) };
  }

  private keep(member: Held): void {
    this.members.push(member);
    void member.server.exited.then((why) => {
      if (this.remove(member)) {
        this.options.logger.warn(
          { sessionId: member.session.id, pool: this.options.key, ...(why ? { why } : {}) },
          'a pool session exited',
        );
        this.fill();
      }
    });
  }

  private drop(member: Held): void {
    if (this.remove(member)) void this.stopUnclaimed(member);
  }

  /**
   * Stops a pool session unless a reader took it meanwhile (through another server of the
   * instance, whose pool may hold the same session after a restart).
   */
  private async stopUnclaimed({ session, server }: UnassignedSession): Promise<void> {
    const free = await this.options.assignments.retire(session.id).catch(() => false);
    if (free) await server.stop();
  }

  /** Takes a member out of the pool, giving up its place; false when it was not there. */
  private remove(member: Held): boolean {
    const index = this.members.indexOf(member);
    if (index < 0) return false;
    this.members.splice(index, 1);
    member.release();
    return true;
  }
}

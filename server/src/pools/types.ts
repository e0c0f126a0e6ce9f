import type { BuiltImage, KernelServer, SessionDescription } from '../backends/types.js';
import type { RepoRef } from '../repo/index.js';
import type { AdoptedSession } from '../sessions/registry.js';

/** A session a pool started: running, but no reader's token and not in the registry. */
export interface UnassignedSession {
  session: SessionDescription;
  image: BuiltImage;
  server: KernelServer;
}

/** A session waiting in a pool, its kernel already running. */
export interface PoolMember extends UnassignedSession {
  /** The kernel the pool started (in the repository's root), as jupyter_server names it. */
  kernelId: string;
}

/** A pool member a launch has taken out of its pool, not yet a reader's. */
export interface ClaimedSession {
  readonly member: PoolMember;
  /**
   * Records that the member now is `session` (same id, the reader's token hash), so that a
   * restarted server adopts it as the reader's and never puts it back in a pool. Returns
   * the release of the registry place the pool held for it: call it once the session is in
   * the registry. When `signal` has aborted, the member goes back to its pool and this
   * throws the signal's reason; when the record cannot be written, the member is stopped
   * and this throws.
   */
  assign(session: SessionDescription, signal: AbortSignal): Promise<() => void>;
}

/** What the launch pipeline asks the pools. */
export interface PoolClaims {
  /** Takes a ready member of the pool for `repo` (its canonical spec) and `kernel`, if any. */
  claim(repo: RepoRef, kernel: string): ClaimedSession | undefined;
}

/** Starts a pool's session the way a launch of `repo` would: see Launcher.startUnassigned. */
export type PoolSessionStarter = (
  repo: RepoRef,
  kernel: string,
  pool: string,
  expiresAt: number,
  signal: AbortSignal,
) => Promise<UnassignedSession>;

/** What adoption after a restart asks the pools about each session it takes back. */
export interface PoolAdoption {
  /**
   * The session as the registry is to track it: unchanged when no pool started it, with
   * its reader's token hash when a reader had taken it; undefined when a pool took it back
   * (or stopped it, its pool being gone).
   */
  adopt(adopted: AdoptedSession): Promise<AdoptedSession | undefined>;
}

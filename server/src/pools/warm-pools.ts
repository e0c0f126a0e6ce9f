import type { Logger } from 'pino';
import type { RepoProviders, RepoRef } from '../repo/index.js';
import type { AdoptedSession, SessionRegistry } from '../sessions/registry.js';
import type { Assignments } from './assignments.js';
import type { PoolSettings } from './config.js';
import type { ClaimedSession, PoolAdoption, PoolClaims, PoolSessionStarter } from './types.js';
import { WarmPool } from './warm-pool.js';

export interface WarmPoolsOptions {
  /** config `pools`. */
  pools: readonly PoolSettings[];
  /** config `sessions.defaultKernel`, for pools that name no kernel. */
  defaultKernel: string;
  providers: RepoProviders;
  registry: SessionRegistry;
  assignments: Assignments;
  logger: Logger;
}

/** A pool's state, for operators. */
export interface PoolStatus {
  repo: string;
  kernel: string;
  ready: number;
  starting: number;
}

/** A pool's key: its canonical spec and kernel, as launches are matched against it. */
export function poolKey(spec: string, kernel: string): string {
  return JSON.stringify([spec, kernel]);
}

/**
 * The configured warm pools. A launch matches a pool when its spec, read the way the
 * providers read it (so `ref` given apart counts as part of the spec), and its kernel are
 * the pool's; it then gets the commit the pool resolved last (at most `refreshSeconds` old).
 */
export class WarmPools implements PoolClaims, PoolAdoption {
  private readonly pools = new Map<string, { repo: RepoRef; kernel: string; pool: WarmPool }>();
  /** Sessions being given to a reader, whose assignment records must not be pruned. */
  private readonly assigning = new Set<string>();

  /** Throws HttpError (400/403/404) for a pool whose spec the providers refuse. */
  constructor(private readonly options: WarmPoolsOptions) {
    const maxWaitMs = options.registry.limits.maxAgeMs;
    for (const settings of options.pools) {
      if (settings.size === 0) continue;
      const repo = options.providers.parse(settings.repo);
      const kernel = settings.kernel ?? options.defaultKernel;
      const key = poolKey(repo.spec, kernel);
      const pool = new WarmPool({
        key,
        repo,
        kernel,
        size: settings.size,
        refreshMs: settings.refreshSeconds * 1000,
        maxWaitMs,
        registry: options.registry,
        assignments: options.assignments,
        logger: options.logger,
      });
      this.pools.set(key, { repo, kernel, pool });
    }
    // A reader's session that ends takes its record along (start prunes what a crash left).
    options.registry.onEnded((sessionId) => {
      options.assignments.remove(sessionId).catch((error: unknown) => {
        options.logger.warn({ sessionId, err: error }, 'could not remove a pool assignment record');
      });
    });
  }

  /** Starts filling every pool; call once sessions of an earlier run have been adopted. */
  start(starter: PoolSessionStarter): void {
    if (this.pools.size === 0) return;
    void this.options.assignments.prune(
      (id) => this.assigning.has(id) || this.options.registry.get(id) !== undefined,
    );
    for (const { pool } of this.pools.values()) pool.start(starter);
  }

  claim(repo: RepoRef, kernel: string): ClaimedSession | undefined {
    const claimed = this.pools.get(poolKey(repo.spec, kernel))?.pool.claim();
    if (!claimed) return undefined;
    const { id } = claimed.member.session;
    return {
      member: claimed.member,
      assign: async (session, signal) => {
        this.assigning.add(id);
        try {
          return await claimed.assign(session, signal);
        } finally {
          this.assigning.delete(id);
        }
      },
    };
  }

  async adopt(adopted: AdoptedSession): Promise<AdoptedSession | undefined> {
    const { session } = adopted;
    if (session.pool === undefined) return adopted;
    const assignment = await this.options.assignments.read(session.id);
    if (assignment) {
      const reader = { ...session, ...assignment };
      delete reader.pool;
      return { ...adopted, session: reader };
    }
    const entry = this.pools.get(session.pool);
    if (entry) {
      await entry.pool.adopt(adopted);
    } else {
      this.options.logger.info(
        { sessionId: session.id },
        'stopping a session of a pool no longer configured',
      );
      if (await this.options.assignments.retire(session.id)) await adopted.server.stop();
    }
    return undefined;
  }

  status(): PoolStatus[] {
    return [...this.pools.values()].map(({ repo, kernel, pool }) => ({
      repo: repo.spec,
      kernel,
      ...pool.counts,
    }));
  }

  /** Stops filling; stops the members too unless `keepRunning` (they outlive the server). */
  async close(keepRunning: boolean): Promise<void> {
    await Promise.all([...this.pools.values()].map(({ pool }) => pool.close(keepRunning)));
  }
}

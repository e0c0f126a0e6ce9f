import type { Logger } from 'pino';
import type { BuiltImage, KernelServer, SessionDescription } from '../backends/types.js';
import { HttpError } from '../errors.js';
import { EndedSessions } from './ended-sessions.js';

export interface Session extends Readonly<SessionDescription> {
  readonly image: BuiltImage;
  /** Last time traffic went through the proxy or the kernel server reported activity (ms). */
  lastActivity: number;
  readonly server: KernelServer;
}

/** A session an earlier run of the server started, found running again. */
export interface AdoptedSession {
  session: SessionDescription;
  image: BuiltImage;
  server: KernelServer;
}

/**
 * Finds a session another server (replica) of this instance started, ready to track;
 * undefined when there is none.
 */
export type SessionLookup = (id: string) => Promise<AdoptedSession | undefined>;

export interface SessionLimits {
  idleMs: number;
  maxAgeMs: number;
  maxSessions: number;
}

/** The running sessions of this server, with room reserved for launches under way. */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private reserved = 0;
  /** Sessions that ended while this server ran (or that it found ended at start), with why. */
  readonly ended = new EndedSessions();
  private readonly endListeners: ((sessionId: string) => void)[] = [];
  /** Lookups under way, so concurrent requests for one session adopt it once. */
  private readonly lookups = new Map<string, Promise<void>>();
  /** Held sessions this server adopted rather than launched. */
  private readonly adopted = new Set<string>();

  constructor(
    readonly limits: SessionLimits,
    private readonly logger: Logger,
    /** For backends whose sessions several replicas share: asked when `find` misses. */
    private readonly lookup?: SessionLookup,
  ) {}

  /**
   * Holds a place for a session being launched; throws 503 when the server is full. Where
   * replicas share sessions (a lookup), `maxSessions` limits the sessions this server
   * launched: those it adopted from other replicas, or found at start, are not counted,
   * or one replica reached for many sessions (or restarted) would refuse every launch.
   */
  reserve(): () => void {
    if (this.counted + this.reserved >= this.limits.maxSessions) {
      throw new HttpError(
        503,
        `this server is running its maximum of ${this.limits.maxSessions} sessions ` +
          '(sessions.maxSessions, which counts the sessions warm pools keep ready too); ' +
          'try again in a few minutes',
      );
    }
    this.reserved += 1;
    let released = false;
    return () => {
      if (!released) this.reserved -= 1;
      released = true;
    };
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
    // A server that exited on its own (killed, out of memory) leaves what stop removes.
    void session.server.exited.then((why) => {
      if (this.sessions.get(session.id) === session) {
        void this.end(session.id, `its kernel server exited${why ? `: ${why}` : ''}`);
      }
    });
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /**
   * The session with this id: the one this server tracks, else (with a lookup) one
   * another replica started, which this server then tracks too. Sessions this server saw
   * end are not looked up again.
   */
  async find(id: string): Promise<Session | undefined> {
    const held = this.sessions.get(id);
    if (held || !this.lookup || this.ended.reasonFor(id) !== undefined) return held;
    let pending = this.lookups.get(id);
    if (!pending) {
      const lookup = this.lookup;
      pending = (async () => {
        try {
          const found = await lookup(id);
          if (found && !this.sessions.has(id)) this.adopt([found]);
        } catch (error) {
          this.logger.warn({ sessionId: id, err: error }, 'could not look a session up');
        } finally {
          this.lookups.delete(id);
        }
      })();
      this.lookups.set(id, pending);
    }
    await pending;
    return this.sessions.get(id);
  }

  /** Whether `find` may find sessions this server does not track. */
  get looksUp(): boolean {
    return this.lookup !== undefined;
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  /** Sessions held by readers (not those reserved for launches or pools). */
  get size(): number {
    return this.sessions.size;
  }

  /**
   * The held sessions `maxSessions` counts (see reserve): every one on a server alone;
   * where replicas share sessions, those this server launched since it started, so that
   * summed over replicas each session counts once at most.
   */
  get counted(): number {
    return this.lookup ? this.sessions.size - this.adopted.size : this.sessions.size;
  }

  touch(session: Session, at = Date.now()): void {
    if (at > session.lastActivity) session.lastActivity = at;
  }

  /** When the session will be culled if nothing happens in it. */
  expiresAt(session: Session): Date {
    return new Date(
      Math.min(session.lastActivity + this.limits.idleMs, session.createdAt + this.limits.maxAgeMs),
    );
  }

  async end(id: string, reason: string): Promise<boolean> {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.sessions.delete(id);
    this.adopted.delete(id);
    this.ended.add(id, reason);
    this.logger.info({ sessionId: id, reason }, 'session ended');
    for (const listener of this.endListeners) listener(id);
    await session.server.stop().catch((error: unknown) => {
      this.logger.error({ sessionId: id, err: error }, 'could not clean up after a session');
    });
    return true;
  }

  /** Calls `listener` with the id of every session that ends from now on. */
  onEnded(listener: (sessionId: string) => void): void {
    this.endListeners.push(listener);
  }

  /**
   * Ends every session. Each is ended (gone from the registry, its end listeners told) before
   * this returns; the promise settles once their servers have stopped.
   */
  async endAll(reason: string): Promise<void> {
    await Promise.all(this.list().map((session) => this.end(session.id, reason)));
  }

  /** Stops tracking every session without stopping it (they outlive this server). */
  forgetAll(): void {
    this.sessions.clear();
    this.adopted.clear();
  }

  /** Tracks sessions an earlier run of the server left running; idle time counts from now. */
  adopt(adopted: AdoptedSession[], now = Date.now()): void {
    for (const { session, image, server } of adopted) {
      this.add({ ...session, image, server, lastActivity: now });
      this.adopted.add(session.id);
    }
    if (adopted.length > 0) this.logger.info({ count: adopted.length }, 'adopted running sessions');
  }
}

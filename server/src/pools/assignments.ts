import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionClaims, SessionDescription } from '../backends/types.js';

/** What is recorded of a pooled session once a reader took it. */
export interface Assignment {
  tokenHash: string;
  /** When the reader took it (epoch ms): its age counts from then. */
  createdAt: number;
}

const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Thrown by `Assignments.write` when another server gave the pooled session to a reader first. */
export class TakenElsewhere extends Error {
  override name = 'TakenElsewhere';
}

/** Where the pools record which pooled sessions readers took (see AssignmentRecords). */
export interface Assignments {
  /** Records that a reader took `session`; throws TakenElsewhere when another server's reader did. */
  write(session: SessionDescription): Promise<void>;
  /** The record of a session, undefined when no reader took it. */
  read(sessionId: string): Promise<Assignment | undefined>;
  /** Deletes the record of a session that ended; nothing when it has none. */
  remove(sessionId: string): Promise<void>;
  /** Deletes the records of sessions for which `live` is false. */
  prune(live: (sessionId: string) => boolean): Promise<void>;
  /** Whether a pool member may be stopped: no reader took it, and none can from now on. */
  retire(sessionId: string): Promise<boolean>;
}

/**
 * Which pooled sessions readers have taken, one small JSON file per session in `dir`.
 * A pooled session's labels were written when the pool started it and cannot change
 * (container labels), so after a restart this is what tells a reader's session from a
 * free pool member.
 */
export class AssignmentRecords implements Assignments {
  constructor(private readonly dir: string) {}

  /** One server reads and writes these records: a member without one is free. */
  async retire(sessionId: string): Promise<boolean> {
    return (await this.read(sessionId)) === undefined;
  }

  /** Writes the record before the reader hears of the session; throws when it cannot. */
  async write(session: SessionDescription): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const record: Assignment = { tokenHash: session.tokenHash, createdAt: session.createdAt };
    await writeFile(this.path(session.id), JSON.stringify(record));
  }

  /** The record of a session, undefined when it has none (or an unreadable one). */
  async read(sessionId: string): Promise<Assignment | undefined> {
    if (!SESSION_ID.test(sessionId)) return undefined;
    try {
      const record = JSON.parse(await readFile(this.path(sessionId), 'utf8')) as Assignment;
      return typeof record.tokenHash === 'string' && typeof record.createdAt === 'number'
        ? record
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** Deletes the record of a session that ended; nothing when it has none. */
  async remove(sessionId: string): Promise<void> {
    if (SESSION_ID.test(sessionId)) await rm(this.path(sessionId), { force: true });
  }

  /** Deletes the records of sessions for which `live` is false. */
  async prune(live: (sessionId: string) => boolean): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => name.endsWith('.json') && !live(name.slice(0, -'.json'.length)))
        .map((name) => rm(join(this.dir, name), { force: true })),
    );
  }

  private path(sessionId: string): string {
    if (!SESSION_ID.test(sessionId)) throw new Error(`invalid session id ${sessionId}`);
    return join(this.dir, `${sessionId}.json`);
  }
}

/** Assignments kept by the backend, where every replica sees them (kubernetes pod annotations). */
export class EngineAssignments implements Assignments {
  constructor(private readonly claims: SessionClaims) {}

  async write(session: SessionDescription): Promise<void> {
    if ((await this.claims.claim(session)) === 'taken') {
      throw new TakenElsewhere(`the pooled session ${session.id} was taken by another server`);
    }
  }

  read(sessionId: string): Promise<Assignment | undefined> {
    return this.claims.claimOf(sessionId);
  }

  /** The claims live and end with the sessions themselves. */
  async remove(): Promise<void> {}

  /** The claims live and end with the sessions themselves. */
  async prune(): Promise<void> {}

  retire(sessionId: string): Promise<boolean> {
    return this.claims.retire(sessionId);
  }
}

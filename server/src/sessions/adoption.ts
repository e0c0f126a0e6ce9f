import type { Logger } from 'pino';
import type { Backend, ListedSession } from '../backends/types.js';
import type { PoolAdoption } from '../pools/types.js';
import type { AdoptedSession, SessionLookup, SessionRegistry } from './registry.js';

/**
 * Takes back the sessions of this instance that the engine still holds (after a restart):
 * running ones within their maximum age are adopted (their tokens keep working), the
 * others are removed. Sessions of other instances are never listed, so never touched.
 * Sessions a warm pool started go through `pools`: back into their pool, or to the
 * registry as the reader's who took them.
 */
export async function adoptSessions(
  backend: Backend,
  registry: SessionRegistry,
  logger: Logger,
  now = Date.now(),
  pools?: PoolAdoption,
): Promise<void> {
  const adopted: AdoptedSession[] = [];
  for (const listed of await backend.listSessions()) {
    const { id } = listed.session;
    if (listed.running && listed.expiresAt > now) {
      try {
        const server = await backend.adopt(listed);
        const session = { session: listed.session, image: listed.image, server };
        const tracked = pools ? await pools.adopt(session) : session;
        if (tracked) adopted.push(tracked);
        continue;
      } catch (error) {
        logger.warn({ sessionId: id, err: error }, 'could not adopt a session; removing it');
      }
    } else {
      logger.info({ sessionId: id }, 'removing an ended or expired session');
    }
    registry.ended.add(id, endReason(listed, now));
    await remove(backend, listed, logger);
  }
  registry.adopt(adopted, now);
}

function endReason(listed: ListedSession, now: number): string {
  if (listed.expiresAt <= now) return 'maximum age reached';
  if (listed.running) return 'its kernel server did not answer after a server restart';
  return `its kernel server stopped${listed.stoppedBecause ? `: ${listed.stoppedBecause}` : ''}`;
}

async function remove(backend: Backend, listed: ListedSession, logger: Logger): Promise<void> {
  await backend.remove(listed).catch((error: unknown) => {
    logger.warn({ sessionId: listed.session.id, err: error }, 'could not remove a session');
  });
}

/**
 * How the registry finds a session another replica started, for backends that can tell
 * (`Backend.findSession`): a running session within its maximum age is adopted.
 */
export function sessionLookup(backend: Backend, now = Date.now): SessionLookup | undefined {
  if (!backend.findSession) return undefined;
  return async (id) => {
    const listed = await backend.findSession?.(id);
    if (!listed?.running || listed.expiresAt <= now()) return undefined;
    const server = await backend.adopt(listed);
    return { session: listed.session, image: listed.image, server };
  };
}

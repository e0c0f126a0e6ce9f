import { lastActivity } from '../backends/shared/kernel-server-client.js';
import type { Session, SessionRegistry } from './registry.js';

/** When a session's kernels last did something (ms), as its kernel server tells. */
const kernelActivity = (session: Session) => lastActivity(session.server);

/**
 * Ends sessions past their maximum age, and idle ones: no proxy traffic and no kernel
 * activity (a long computation counts as activity) for the idle timeout.
 */
export async function cullSessions(
  registry: SessionRegistry,
  activity: (session: Session) => Promise<number | undefined> = kernelActivity,
  now = Date.now(),
): Promise<string[]> {
  const culled: string[] = [];
  for (const session of registry.list()) {
    if (now >= session.createdAt + registry.limits.maxAgeMs) {
      await registry.end(session.id, 'maximum age reached');
      culled.push(session.id);
      continue;
    }
    if (now < session.lastActivity + registry.limits.idleMs) continue;
    const kernelAt = await activity(session);
    if (kernelAt !== undefined) registry.touch(session, kernelAt);
    if (now >= session.lastActivity + registry.limits.idleMs) {
      await registry.end(session.id, 'idle timeout');
      culled.push(session.id);
    }
  }
  return culled;
}

/** Runs the culler every `intervalMs`; returns a function that stops it. */
export function startCuller(registry: SessionRegistry, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void cullSessions(registry).finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

import type { HealthInfo } from '@binder-cell/launch-protocol';
import { Router } from 'express';
import type { Backend } from '../backends/types.js';
import { REFUSED_WHILE_STOPPING } from '../launch/shutdown.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { VERSION } from '../version.js';

/**
 * `GET /health` (`sessions`: what this server's `maxSessions` counts; `instance`: the
 * whole instance's, where replicas share sessions) (503 while the backend's engine cannot take launches or once `stopping`
 * is aborted, so load balancers and clients with several servers pick another),
 * `GET /ready` (whether this server can serve the sessions it reaches: 503 only once
 * `stopping` is aborted; a readiness probe, which must not take every replica out of its
 * Service, and the sessions behind them out of reach, while the engine cannot launch,
 * such as a Kubernetes API server outage) and `GET /versions`.
 */
export function healthRoute(
  registry: SessionRegistry,
  backend: Backend,
  stopping: AbortSignal,
  pooled: () => number,
): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const engine = stopping.aborted
      ? { ok: false as const, problem: REFUSED_WHILE_STOPPING }
      : await backend.health();
    const instance = await backend.instanceSessions?.().catch(() => undefined);
    const health: HealthInfo = {
      status: engine.ok ? 'ok' : stopping.aborted ? 'stopping' : 'unavailable',
      backend: backend.name,
      sessions: registry.counted,
      pooled: pooled(),
      ...(instance ? { instance: { sessions: instance.readers, pooled: instance.pooled } } : {}),
      version: VERSION,
      ...(engine.ok ? {} : { problem: engine.problem }),
    };
    res
      .status(engine.ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(health);
  });
  router.get('/ready', (_req, res) => {
    res
      .status(stopping.aborted ? 503 : 200)
      .set('Cache-Control', 'no-store')
      .json(stopping.aborted ? { status: 'stopping' } : { status: 'ok' });
  });
  router.get('/versions', (_req, res) => {
    res.json({ binderCell: VERSION, builder: `${backend.name}/${backend.builderVersion}` });
  });
  return router;
}

import type { HealthInfo } from '@binder-cell/launch-protocol';
import { Router } from 'express';
import type { SessionRegistry } from '../sessions/registry.js';
import { VERSION } from '../version.js';

export function healthRoute(
  registry: SessionRegistry,
  backend: string,
  builderVersion: string,
): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    const health: HealthInfo = { status: 'ok', backend, sessions: registry.size, version: VERSION };
    res.set('Cache-Control', 'no-store').json(health);
  });
  router.get('/versions', (_req, res) => {
    res.json({ binderCell: VERSION, builder: `${backend}/${builderVersion}` });
  });
  return router;
}

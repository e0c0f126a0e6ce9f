import type { SessionInfo } from '@binder-cell/launch-protocol';
import { Router } from 'express';
import type { Session, SessionRegistry } from '../sessions/registry.js';
import { publicUrl } from './public-url.js';
import type { PublicUrlOptions } from './public-url.js';
import { checkSessionAccess } from './session-access.js';

/** `GET` and `DELETE /api/v1/sessions/<id>`, both with the session's token. */
export function sessionsRoute(registry: SessionRegistry, urls: PublicUrlOptions): Router {
  const router = Router();
  router.get('/api/v1/sessions/:id', async (req, res) => {
    await registry.find(req.params.id);
    const access = checkSessionAccess(registry, req.params.id, req);
    if (!access.ok) {
      res.status(access.status).json({ message: access.message });
      return;
    }
    res.json(sessionInfo(access.session, registry, publicUrl(req, urls)));
  });
  router.delete('/api/v1/sessions/:id', async (req, res) => {
    await registry.find(req.params.id);
    const access = checkSessionAccess(registry, req.params.id, req);
    if (!access.ok) {
      res.status(access.status).json({ message: access.message });
      return;
    }
    await registry.end(access.session.id, 'deleted by its client');
    res.status(204).end();
  });
  return router;
}

function sessionInfo(session: Session, registry: SessionRegistry, base: URL): SessionInfo {
  const url = new URL(`sessions/${session.id}/`, base).href;
  return {
    sessionId: session.id,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    kernel: session.kernel,
    repo: session.repo,
    ref: session.ref,
    image: session.image.name,
    createdAt: new Date(session.createdAt).toISOString(),
    expiresAt: registry.expiresAt(session).toISOString(),
  };
}

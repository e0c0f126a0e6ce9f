import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { MetricsSettings } from './config.js';
import type { ServerMetrics } from './metrics.js';

/**
 * `GET /metrics` in Prometheus' text format. Off when `settings.enabled` is false (404,
 * as for any unknown path); with `settings.token`, only requests sending
 * `Authorization: Bearer <token>` may read it (401 otherwise).
 */
export function metricsRoute(metrics: ServerMetrics, settings: MetricsSettings): Router {
  const router = Router();
  if (!settings.enabled) return router;
  const expected = settings.token === undefined ? undefined : digest(`Bearer ${settings.token}`);
  router.get('/metrics', async (req, res) => {
    const given = req.get('authorization');
    if (expected && (given === undefined || !timingSafeEqual(digest(given), expected))) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="metrics"')
        .json({ message: 'reading metrics needs the operator token' });
      return;
    }
    res
      .set('Content-Type', metrics.registry.contentType)
      .set('Cache-Control', 'no-store')
      .send(await metrics.registry.metrics());
  });
  return router;
}

/** Equal-length digests, so the comparison takes the same time whatever was sent. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

import compression from 'compression';
import express, { Router } from 'express';
import type { Response } from 'express';

export interface StaticRouteOptions {
  /** Built SDK (`binder-cell.js` and its chunks), served at /sdk/. */
  sdkDir: string | undefined;
  /** Example pages, served at /examples/ (and / redirects there). */
  examplesDir: string | undefined;
  /** The built documentation site (docs-site/dist), served at /docs/. */
  docsDir: string | undefined;
}

/**
 * The SDK at /sdk/ (any page may load it: it is a public script, and module scripts from
 * another origin need CORS; who may launch is the API's business), the examples at
 * /examples/ and the docs at /docs/, compressed. The SDK's chunks carry a content hash in
 * their names, so browsers keep them for good; its entry module for five minutes.
 */
export function staticRoutes({ sdkDir, examplesDir, docsDir }: StaticRouteOptions): Router {
  const router = Router();
  router.use(['/sdk', '/docs', '/examples'], compression());
  if (sdkDir) {
    router.use(
      '/sdk',
      express.static(sdkDir, { maxAge: '5m', fallthrough: true, setHeaders: sdkHeaders }),
    );
  }
  if (docsDir) router.use('/docs', express.static(docsDir, { maxAge: 0 }));
  if (examplesDir) {
    router.use('/examples', express.static(examplesDir, { maxAge: 0 }));
    router.get('/', (_req, res) => res.redirect('/examples/'));
  } else {
    router.get('/', (_req, res) => {
      res.json({ name: 'binder-cell launch API', launch: '/api/v1/launch', health: '/health' });
    });
  }
  return router;
}

function sdkHeaders(res: Response, path: string): void {
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Cross-Origin-Resource-Policy', 'cross-origin');
  if (/[\\/]chunks[\\/]/.test(path))
    res.set('Cache-Control', 'public, max-age=31536000, immutable');
}

import express, { Router } from 'express';

export interface StaticRouteOptions {
  /** Built SDK (`binder-cell.js` and its chunks), served at /sdk/. */
  sdkDir: string | undefined;
  /** Example pages, served at /examples/ (and / redirects there). */
  examplesDir: string | undefined;
  /** The built documentation site (docs-site/dist), served at /docs/. */
  docsDir: string | undefined;
}

export function staticRoutes({ sdkDir, examplesDir, docsDir }: StaticRouteOptions): Router {
  const router = Router();
  if (sdkDir) {
    router.use('/sdk', express.static(sdkDir, { maxAge: '5m', fallthrough: true }));
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

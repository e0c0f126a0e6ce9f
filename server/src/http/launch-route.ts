import { ProtocolError, assertLaunchRequest } from '@binder-cell/launch-protocol';
import express, { Router } from 'express';
import type { ErrorRequestHandler, Response } from 'express';
import { badRequest, forbidden } from '../errors.js';
import { failureEvent } from '../sessions/launcher.js';
import type { Launcher } from '../sessions/launcher.js';
import type { OriginPolicy } from './origins.js';
import { clientAddress, publicUrl } from './public-url.js';
import type { PublicUrlOptions } from './public-url.js';
import { EVENT_STREAM_HEADERS, encodeEvent, openEventStream } from './sse.js';

export interface LaunchRouteOptions {
  launcher: Launcher;
  origins: OriginPolicy;
  keepaliveMs: number;
  urls: PublicUrlOptions;
}

/** `POST /api/v1/launch`: answers with the launch's events as `text/event-stream`. */
export function launchRoute(options: LaunchRouteOptions): Router {
  const router = Router();
  router.post('/api/v1/launch', express.json({ limit: '16kb' }), async (req, res) => {
    let launch;
    try {
      if (!options.origins.allowsRequest(req)) {
        throw forbidden(`pages on ${req.get('origin')} may not launch sessions on this server`);
      }
      const body: unknown = req.body;
      assertLaunchRequest(body);
      launch = options.launcher.begin(body, clientAddress(req));
    } catch (error) {
      sendFailure(res, error instanceof ProtocolError ? badRequest(error.message) : error);
      return;
    }
    const stream = openEventStream(req, res, options.keepaliveMs);
    await launch.run({
      publicUrl: publicUrl(req, options.urls),
      signal: stream.signal,
      emit: (event) => stream.send(event),
    });
    stream.close();
  });
  router.use(bodyErrors);
  return router;
}

const bodyErrors: ErrorRequestHandler = (error: { type?: string }, _req, res, next) => {
  if (error.type === 'entity.parse.failed') {
    sendFailure(res, badRequest('the request body is not valid JSON'));
  } else if (error.type === 'entity.too.large') {
    sendFailure(res, badRequest('the request body is too large'));
  } else {
    next(error);
  }
};

/** A launch refused before it started: the HTTP status tells, and the body is the `failed` event. */
function sendFailure(res: Response, error: unknown): void {
  const event = failureEvent(error);
  res.status(event.status).set(EVENT_STREAM_HEADERS).send(encodeEvent(event));
}

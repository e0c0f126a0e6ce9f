import { toBinderHubEvents } from '@binder-cell/launch-protocol';
import type {
  BinderHubEvent,
  BinderRequest,
  FailedEvent,
  LaunchEvent,
} from '@binder-cell/launch-protocol';
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { LaunchGate } from '../admission/launch-gate.js';
import { HttpError, forbidden } from '../errors.js';
import { failureEvent } from '../launch/failure.js';
import type { Launcher } from '../launch/launcher.js';
import { INTERRUPTED_BY_RESTART } from '../launch/shutdown.js';
import type { LaunchRecord, LaunchRecords } from './launch-records.js';
import type { OriginPolicy } from './origins.js';
import { clientAddress, publicUrl } from './public-url.js';
import type { PublicUrlOptions } from './public-url.js';
import { EVENT_STREAM_HEADERS, encodeEvent, openEventStream } from './sse.js';

export interface BinderHubRouteOptions {
  launcher: Launcher;
  /** API keys (header or `?key=`) and the rate limit, checked before a launch begins. */
  gate: LaunchGate;
  origins: OriginPolicy;
  records: LaunchRecords<BinderHubEvent>;
  keepaliveMs: number;
  /** How long the stream stays open after the last event, as BinderHub does. */
  holdMs: number;
  urls: PublicUrlOptions;
}

/**
 * `GET /build/<provider>/<spec>`: BinderHub's launch protocol, so Thebe and BinderHub's
 * client work unchanged. Events carry ids; a reconnecting EventSource sends the last one
 * back and resumes the same launch rather than starting another.
 */
export function binderHubRoute(options: BinderHubRouteOptions): Router {
  const router = Router();
  router.get('/build/*spec', async (req, res) => {
    if (!(req.get('accept') ?? '').includes('text/event-stream')) {
      res
        .status(406)
        .json({ message: 'this endpoint streams events: send Accept: text/event-stream' });
      return;
    }
    const lastEventId = req.get('last-event-id');
    if (lastEventId !== undefined) {
      resume(options, lastEventId, req, res);
      return;
    }
    try {
      await options.gate.pass(req, clientAddress(req), { query: true });
    } catch (error) {
      refuse(res, error, options.launcher.refuse(error, buildSpec(req)));
      return;
    }
    start(options, req, res);
  });
  return router;
}

/**
 * Refuses a launch before its stream opens, so the status (401, 429) and headers such as
 * `Retry-After` reach the client; the body is the `failed` event, for clients that read it.
 */
function refuse(res: Response, error: unknown, event: FailedEvent): void {
  if (error instanceof HttpError) res.set(error.headers);
  res.status(event.status).set(EVENT_STREAM_HEADERS).send(encodeEvent(event));
}

/** The spec of a `/build/<spec>` request; the raw path keeps its escapes (a git URL is one escaped component). */
function buildSpec(req: Request): string {
  return req.path.slice('/build/'.length).replace(/\/+$/, '');
}

function start(options: BinderHubRouteOptions, req: Request, res: Response): void {
  const spec = buildSpec(req);
  const host = publicUrl(req, options.urls);
  const request: BinderRequest = { launchHost: host.href, spec };
  const record = options.records.create();
  const emit = (event: LaunchEvent) =>
    toBinderHubEvents(event, request).forEach((mapped) => record.push(mapped));
  stream(options, record, -1, req, res);
  // An EventSource reads events only from a 200 answer: the origin's refusal is an event.
  if (!options.origins.allowsRequest(req)) {
    const refusal = forbidden(
      `pages on ${req.get('origin')} may not launch sessions on this server`,
    );
    emit(options.launcher.refuse(refusal, spec));
    options.records.finish(record);
    return;
  }
  let launch;
  try {
    launch = options.launcher.begin({ repo: spec }, clientAddress(req));
  } catch (error) {
    emit(failureEvent(error));
    options.records.finish(record);
    return;
  }
  // A dropped stream is not a cancelled launch: the client may reconnect and resume it.
  void launch
    .run({ publicUrl: host, signal: new AbortController().signal, emit })
    .finally(() => options.records.finish(record));
}

function resume(
  options: BinderHubRouteOptions,
  lastEventId: string,
  req: Request,
  res: Response,
): void {
  if (options.records.fromEarlierRun(lastEventId)) {
    // An EventSource reads events only from a 200 answer.
    const failed = failureEvent(new HttpError(503, INTERRUPTED_BY_RESTART));
    const request = { launchHost: publicUrl(req, options.urls).href, spec: '' };
    const events = openEventStream(req, res, options.keepaliveMs);
    toBinderHubEvents(failed, request).forEach((event) => events.send(event));
    events.close();
    return;
  }
  const found = options.records.resume(lastEventId);
  if (!found || options.records.nothingLeft(lastEventId)) {
    // 204 tells an EventSource to stop reconnecting.
    res.status(204).end();
    return;
  }
  stream(options, found.record, found.seen, req, res);
}

function stream(
  options: BinderHubRouteOptions,
  record: LaunchRecord<BinderHubEvent>,
  seen: number,
  req: Request,
  res: Response,
): void {
  const events = openEventStream(req, res, options.keepaliveMs);
  let hold: NodeJS.Timeout | undefined;
  const stop = () => {
    unfollow();
    clearTimeout(hold);
  };
  const unfollow = record.follow(seen, (event, id) => {
    events.send(event, id);
    if (event.phase === 'ready' || event.phase === 'failed') {
      hold = setTimeout(() => {
        stop();
        events.close();
      }, options.holdMs);
    }
  });
  events.signal.addEventListener('abort', stop);
}

import { ProtocolError, assertLaunchRequest, isTerminal } from '@binder-cell/launch-protocol';
import type { FailedEvent, LaunchEvent } from '@binder-cell/launch-protocol';
import express, { Router } from 'express';
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { LaunchGate } from '../admission/launch-gate.js';
import { HttpError, badRequest, forbidden } from '../errors.js';
import { failureEvent } from '../launch/failure.js';
import type { Launcher } from '../launch/launcher.js';
import { INTERRUPTED_BY_RESTART } from '../launch/shutdown.js';
import type { LaunchRecord, LaunchRecords } from './launch-records.js';
import type { OriginPolicy } from './origins.js';
import { clientAddress, publicUrl } from './public-url.js';
import type { PublicUrlOptions } from './public-url.js';
import { EVENT_STREAM_HEADERS, encodeEvent, openEventStream } from './sse.js';

export interface LaunchRouteOptions {
  launcher: Launcher;
  /** API keys and the rate limit, checked before a launch begins. */
  gate: LaunchGate;
  origins: OriginPolicy;
  keepaliveMs: number;
  urls: PublicUrlOptions;
  records: LaunchRecords<LaunchEvent>;
  /**
   * How long (ms) a launch nobody follows waits for its client to reconnect: then a
   * launch under way is abandoned, and a session whose `ready` reached nobody is ended.
   */
  resumeMs: number;
  /** Ends a session that no client took. */
  endSession: (sessionId: string) => void;
}

/**
 * `POST /api/v1/launch`: answers with the launch's events as `text/event-stream`. Every
 * event has an id; a client whose stream broke sends the same request again with the last
 * id it saw as `Last-Event-ID` and resumes the launch (204: nothing left to resume; 503
 * with a `failed` event: the launch was of an earlier run of the server, and was stopped).
 */
export function launchRoute(options: LaunchRouteOptions): Router {
  const router = Router();
  const watches = new WeakMap<LaunchRecord<LaunchEvent>, Abandonment>();
  router.post('/api/v1/launch', express.json({ limit: '16kb' }), async (req, res) => {
    const lastEventId = req.get('last-event-id');
    if (lastEventId !== undefined) {
      if (options.records.fromEarlierRun(lastEventId)) {
        const interrupted = new HttpError(503, INTERRUPTED_BY_RESTART);
        sendFailure(res, interrupted, failureEvent(interrupted));
        return;
      }
      const found = options.records.resume(lastEventId);
      if (!found || options.records.nothingLeft(lastEventId)) {
        res.status(204).end();
        return;
      }
      stream(found.record, found.seen, req, res, options, watches.get(found.record));
      return;
    }
    const body: unknown = req.body;
    try {
      if (!options.origins.allowsRequest(req)) {
        throw forbidden(`pages on ${req.get('origin')} may not launch sessions on this server`);
      }
      await options.gate.pass(req, clientAddress(req), { query: false });
      assertLaunchRequest(body);
    } catch (error) {
      const refusal = error instanceof ProtocolError ? badRequest(error.message) : error;
      sendFailure(res, refusal, options.launcher.refuse(refusal, requestedSpec(body)));
      return;
    }
    let launch;
    try {
      launch = options.launcher.begin(body, clientAddress(req));
    } catch (error) {
      sendFailure(res, error, failureEvent(error));
      return;
    }
    const record = options.records.create();
    const abandoned = new AbortController();
    const watch = new Abandonment(record, options, () => {
      abandoned.abort(new Error('the client went away and did not come back'));
    });
    watches.set(record, watch);
    stream(record, -1, req, res, options, watch);
    void launch
      .run({
        publicUrl: publicUrl(req, options.urls),
        signal: abandoned.signal,
        emit: (event) => record.push(event),
      })
      .finally(() => {
        options.records.finish(record);
        watch.check();
      });
  });
  router.use(bodyErrors(options.launcher));
  return router;
}

/** The spec a launch request names, for the metrics of a refused one; undefined if none. */
function requestedSpec(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'repo' in body ? body.repo : undefined;
}

/** Sends a record's events after `seen` to one client, closing after `ready` or `failed`. */
function stream(
  record: LaunchRecord<LaunchEvent>,
  seen: number,
  req: Request,
  res: Response,
  options: LaunchRouteOptions,
  watch: Abandonment | undefined,
): void {
  const events = openEventStream(req, res, options.keepaliveMs);
  let closing = false;
  const unfollow = record.follow(seen, (event, id) => {
    if (closing) return;
    events.send(event, id);
    if (isTerminal(event)) {
      closing = true;
      if (watch) watch.delivered = true;
      queueMicrotask(() => {
        unfollow();
        events.close();
        watch?.check();
      });
    }
  });
  watch?.check();
  events.signal.addEventListener('abort', () => {
    unfollow();
    watch?.check();
  });
}

/**
 * Watches who follows a launch. When nobody has for `resumeMs`, a launch under way is
 * abandoned and a `ready` session nobody received is ended.
 */
class Abandonment {
  delivered = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly record: LaunchRecord<LaunchEvent>,
    private readonly options: LaunchRouteOptions,
    private readonly abandon: () => void,
  ) {}

  /** Call after anyone starts or stops following, and when the launch ends. */
  check(): void {
    clearTimeout(this.timer);
    if (this.record.followers > 0 || this.delivered) return;
    this.timer = setTimeout(() => this.expire(), this.options.resumeMs);
    this.timer.unref();
  }

  private expire(): void {
    if (this.record.followers > 0 || this.delivered) return;
    const last = this.record.events.at(-1);
    if (!this.record.done) this.abandon();
    else if (last?.phase === 'ready') this.options.endSession(last.sessionId);
  }
}

/** Bodies that are not JSON (400) or over 16 KB (413), refused as launches are. */
function bodyErrors(launcher: Launcher): ErrorRequestHandler {
  return (error: { type?: string }, _req, res, next) => {
    let refusal: HttpError;
    if (error.type === 'entity.parse.failed') {
      refusal = badRequest('the request body is not valid JSON');
    } else if (error.type === 'entity.too.large') {
      refusal = new HttpError(413, 'the request body is too large (at most 16 KB)');
    } else {
      next(error);
      return;
    }
    sendFailure(res, refusal, launcher.refuse(refusal, undefined));
  };
}

/** A launch refused before it started: the HTTP status tells, and the body is the `failed` event. */
function sendFailure(res: Response, error: unknown, event: FailedEvent): void {
  if (error instanceof HttpError) res.set(error.headers);
  res.status(event.status).set(EVENT_STREAM_HEADERS).send(encodeEvent(event));
}

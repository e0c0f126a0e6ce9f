import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics/metrics.js';
import { ProxyTraffic } from '../metrics/proxy-traffic.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { isKernelApiPath, parseSessionPath } from './kernel-paths.js';
import type { OriginPolicy } from './origins.js';
import { checkSessionAccess } from './session-access.js';

type Outcome =
  | { ok: true; target: string; token: string; onActivity: () => void }
  | { ok: true; shutdown: () => Promise<boolean> }
  | { ok: false; status: number; message: string };

/** Jupyter's `POST /api/shutdown` (what a BinderHub client calls): here it ends the session. */
const SHUTDOWN_PATH = 'api/shutdown';

/** Error codes of a connection the other end cut (a reader closing a tab). */
const CONNECTION_CUT = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Proxies `/sessions/<id>/...` HTTP and WebSocket traffic to the session's kernel server,
 * after checking the session token and that the path is part of the kernel API. The
 * browser's token is swapped for the kernel server's own, which never leaves this process.
 * `POST api/shutdown`, Jupyter's way to stop a server, ends the session.
 */
export class SessionProxy {
  private readonly proxy = createProxyServer({ xfwd: false });
  private readonly traffic: ProxyTraffic | undefined;
  /** Upgraded (WebSocket) client sockets open now. */
  private readonly sockets = new Set<Duplex>();
  /** The session each proxied request is for, for log lines about it. */
  private readonly sessionOf = new WeakMap<IncomingMessage, string>();

  constructor(
    private readonly registry: SessionRegistry,
    private readonly origins: OriginPolicy,
    private readonly logger: Logger,
    metrics?: ServerMetrics,
  ) {
    this.traffic = metrics && new ProxyTraffic(metrics, this.proxy);
    this.proxy.on('error', (error: NodeJS.ErrnoException, req, target) => {
      const sessionId = this.sessionOf.get(req);
      // A reader closing a tab cuts its WebSocket mid-stream: routine, not a fault.
      if (error.code !== undefined && CONNECTION_CUT.has(error.code)) {
        this.logger.debug({ sessionId, code: error.code }, 'proxied connection cut');
      } else {
        this.logger.warn({ err: error, sessionId }, 'proxy error');
      }
      if (isResponse(target)) {
        if (!target.headersSent) {
          target.writeHead(502, { 'Content-Type': 'application/json' });
        }
        target.end(JSON.stringify({ message: "the session's kernel server is not answering" }));
      } else {
        target?.destroy();
      }
    });
  }

  readonly http = (req: Request, res: Response, next: NextFunction): void => {
    const lookup = this.lookingUp(req);
    if (lookup) {
      void lookup.then(() => this.serve(req, res, next));
      return;
    }
    this.serve(req, res, next);
  };

  /** Handles an HTTP upgrade; returns false when the path is not a session's. */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const lookup = this.lookingUp(req);
    if (lookup) {
      void lookup.then(() => this.upgradeTo(req, socket, head));
      return true;
    }
    return this.upgradeTo(req, socket, head);
  };

  /**
   * For a session path whose session this server does not track, on a backend whose
   * sessions replicas share: the lookup that adopts it if another replica started it.
   */
  private lookingUp(req: IncomingMessage): Promise<unknown> | undefined {
    if (!this.registry.looksUp) return undefined;
    const path = parseSessionPath(req.url ?? '/');
    if (!path || this.registry.get(path.sessionId)) return undefined;
    return this.registry.find(path.sessionId);
  }

  private serve(req: Request, res: Response, next: NextFunction): void {
    const outcome = this.route(req);
    if (!outcome) {
      next();
      return;
    }
    if (!outcome.ok) {
      res.status(outcome.status).json({ message: outcome.message });
      return;
    }
    if ('shutdown' in outcome) {
      if (req.method !== 'POST') {
        res.status(405).set('allow', 'POST').json({ message: 'shut a session down with POST' });
        return;
      }
      void outcome.shutdown().then(() => res.status(200).json({ message: 'session ended' }));
      return;
    }
    outcome.onActivity();
    this.traffic?.http(req, res);
    this.proxy.web(req, res, {
      target: outcome.target,
      headers: { authorization: `token ${outcome.token}` },
    });
  }

  private upgradeTo(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const outcome = this.route(req);
    if (!outcome) return false;
    const origin = req.headers.origin;
    if (outcome.ok && origin !== undefined && !this.origins.allows(origin, req)) {
      refuseUpgrade(socket, 403, `pages on ${origin} may not connect to this server`);
      return true;
    }
    if (!outcome.ok || 'shutdown' in outcome) {
      refuseUpgrade(
        socket,
        outcome.ok ? 404 : outcome.status,
        outcome.ok ? 'not found' : outcome.message,
      );
      return true;
    }
    outcome.onActivity();
    socket.on('data', outcome.onActivity);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    this.traffic?.webSocket(socket);
    this.proxy.ws(req, socket, head, {
      target: outcome.target,
      headers: { authorization: `token ${outcome.token}` },
    });
    return true;
  }

  /**
   * Stops proxying and cuts the WebSockets it carries: upgraded sockets are not the HTTP
   * server's to close, and one left open would keep a stopping server alive. The sessions
   * behind them may live on (clients reconnect to the next server).
   */
  close(): void {
    this.proxy.close();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Checks a request and rewrites its URL for the kernel server; undefined if not a session path. */
  private route(req: IncomingMessage): Outcome | undefined {
    const path = parseSessionPath(req.url ?? '/');
    if (!path) return undefined;
    const access = checkSessionAccess(this.registry, path.sessionId, req);
    if (!access.ok) return access;
    if (path.rest === SHUTDOWN_PATH) {
      return {
        ok: true,
        shutdown: () => this.registry.end(path.sessionId, 'shut down by its client'),
      };
    }
    if (!isKernelApiPath(path.rest)) {
      return {
        ok: false,
        status: 404,
        message: 'only the kernel API is available in a binder-cell session',
      };
    }
    const { session } = access;
    this.sessionOf.set(req, path.sessionId);
    req.url = `/${path.rest}${path.search}`;
    delete req.headers.authorization;
    delete req.headers.cookie;
    return {
      ok: true,
      target: new URL(session.server.url).origin,
      token: session.server.token,
      onActivity: () => this.registry.touch(session),
    };
  }
}

function isResponse(target: unknown): target is ServerResponse {
  return typeof (target as ServerResponse | undefined)?.writeHead === 'function';
}

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
};

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import cors from 'cors';
import type { RequestHandler } from 'express';

export const DEFAULT_ALLOWED_ORIGINS = [
  'http://localhost:*',
  'http://127.0.0.1:*',
  'http://[::1]:*',
];

/**
 * Which page origins may use the API. Entries are exact origins (`https://book.example.org`),
 * origins with any port (`http://localhost:*`), or `*`. The server's own origin is always allowed.
 */
export class OriginPolicy {
  constructor(
    private readonly allowed: readonly string[],
    private readonly trustProxy: boolean,
  ) {}

  allows(origin: string, req: IncomingMessage): boolean {
    if (origin === requestOrigin(req, this.trustProxy)) return true;
    return this.allowed.some(
      (entry) => entry === '*' || entry === origin || matchesAnyPort(entry, origin),
    );
  }

  /** True when the request comes from no page (curl, servers) or from an allowed one. */
  allowsRequest(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || this.allows(origin, req);
  }

  /** CORS headers for allowed origins; everything the SDK and Jupyter clients send is allowed. */
  cors(): RequestHandler {
    return cors((req, callback) => {
      callback(null, {
        origin: this.allowsRequest(req as IncomingMessage) && req.headers.origin !== undefined,
        allowedHeaders: [
          'Authorization',
          'Content-Type',
          'Last-Event-ID',
          'X-XSRFToken',
          'X-Requested-With',
        ],
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        maxAge: 600,
      });
    });
  }
}

function matchesAnyPort(entry: string, origin: string): boolean {
  if (!entry.endsWith(':*')) return false;
  const base = entry.slice(0, -2);
  return origin === base || new RegExp(`^${escapeRegExp(base)}:\\d+$`).test(origin);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `scheme://host[:port]` this request was addressed to (forwarded headers only when trusted). */
export function requestOrigin(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = (name: string) => {
    const value = trustProxy ? req.headers[name] : undefined;
    return typeof value === 'string' ? value.split(',')[0]?.trim() : undefined;
  };
  const tls = (req.socket as TLSSocket).encrypted === true;
  const protocol = forwarded('x-forwarded-proto') ?? (tls ? 'https' : 'http');
  const host = forwarded('x-forwarded-host') ?? req.headers.host ?? 'localhost';
  return `${protocol}://${host}`;
}

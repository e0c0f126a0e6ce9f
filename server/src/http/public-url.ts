import type { IncomingMessage } from 'node:http';
import { requestOrigin } from './origins.js';

export interface PublicUrlOptions {
  publicUrl: string | undefined;
  trustProxy: boolean;
}

/** The base URL this request reached the server at (configured, or from its Host header). */
export function publicUrl(req: IncomingMessage, options: PublicUrlOptions): URL {
  const base = options.publicUrl ?? requestOrigin(req, options.trustProxy);
  return new URL(base.endsWith('/') ? base : `${base}/`);
}

export function clientAddress(req: IncomingMessage & { ip?: string }): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

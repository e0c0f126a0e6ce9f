import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.js';

/**
 * The operator's launch keys. A launch carries one as `Authorization: Bearer <key>` (or
 * `token <key>`, Jupyter's spelling), or, where a client cannot set headers (an
 * EventSource on `/build`), as the `key` query parameter.
 */
export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get required(): boolean {
    return this.digests.length > 0;
  }

  /** Throws 401 when keys are required and the request carries none of them. */
  check(req: IncomingMessage, options: { query: boolean }): void {
    if (!this.required) return;
    const key = fromHeader(req) ?? (options.query ? fromQuery(req) : undefined);
    if (key === undefined) {
      throw new HttpError(401, 'this server launches only with an API key; none was sent', {
        headers: { 'WWW-Authenticate': 'Bearer realm="binder-cell"' },
      });
    }
    const sent = digest(key);
    // Compared in constant time, and against every key, so timing tells nothing about them.
    const known = this.digests.reduce(
      (found, known) => timingSafeEqual(known, sent) || found,
      false,
    );
    if (!known) {
      throw new HttpError(401, 'the API key sent is not one this server accepts', {
        headers: { 'WWW-Authenticate': 'Bearer realm="binder-cell", error="invalid_token"' },
      });
    }
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

function fromHeader(req: IncomingMessage): string | undefined {
  const match = /^(?:Bearer|token)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function fromQuery(req: IncomingMessage): string | undefined {
  return new URL(req.url ?? '/', 'http://internal').searchParams.get('key') ?? undefined;
}

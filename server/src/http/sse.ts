import type { Request, Response } from 'express';

/** One server-sent event: an optional id line and one `data:` line of JSON. */
export function encodeEvent(data: unknown, id?: string): string {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return `${idLine}data: ${JSON.stringify(data)}\n\n`;
}

export const KEEPALIVE_COMMENT = ':keepalive\n\n';

export interface EventStream {
  send(data: unknown, id?: string): void;
  close(): void;
  /** Aborted when the client goes away before the stream is closed. */
  readonly signal: AbortSignal;
}

export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // Tell nginx and similar proxies not to buffer the stream.
  'X-Accel-Buffering': 'no',
};

/** Starts a `text/event-stream` response with `:keepalive` comments every `keepaliveMs`. */
export function openEventStream(req: Request, res: Response, keepaliveMs: number): EventStream {
  res.status(200).set(EVENT_STREAM_HEADERS);
  res.flushHeaders();
  req.socket.setNoDelay(true);
  const clientGone = new AbortController();
  const keepalive = setInterval(() => res.write(KEEPALIVE_COMMENT), keepaliveMs);
  res.on('close', () => {
    clearInterval(keepalive);
    if (!res.writableEnded) clientGone.abort(new Error('the client closed the event stream'));
  });
  return {
    signal: clientGone.signal,
    send(data, id) {
      if (!res.writableEnded) res.write(encodeEvent(data, id));
    },
    close() {
      clearInterval(keepalive);
      if (!res.writableEnded) res.end();
    },
  };
}

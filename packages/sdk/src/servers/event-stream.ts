import { EventSourceParserStream } from 'eventsource-parser/stream';
import { LaunchError } from './types.js';

/**
 * Opens a launch's event stream; on a reconnect `lastEventId` is the id of the last event
 * received, for the server to resume the same launch. Throws LaunchError when the server
 * cannot be reached.
 */
export type OpenStream = (lastEventId: string | undefined) => Promise<Response>;

export interface LaunchStreamOptions<T> {
  /** The server, for messages. */
  server: string;
  /** Takes each event's `data`; a result other than undefined ends the stream with it. */
  onData: (data: string) => T | undefined;
  /** Told before each attempt to reconnect a broken stream (1, 2, ...). */
  onReconnect?: (attempt: number) => void;
}

/** Waits (ms) before each reconnect attempt: about half a minute in all, enough for a
 * proxy's cut or a laptop changing networks. */
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 8000, 8000] as const;

/**
 * Reads a launch's event stream until `onData` returns a result. When the stream breaks
 * off (a network error, or an end before the result), it reconnects with back-off and the
 * last event id as `Last-Event-ID`, as an EventSource would; a 204 answer to that means
 * the server no longer has the launch, so it starts anew once. Only the first connection
 * failing, a non-stream answer to it, an error from `onData`, or running out of attempts
 * rejects (with LaunchError).
 */
export async function readLaunchStream<T>(
  open: OpenStream,
  options: LaunchStreamOptions<T>,
): Promise<T> {
  let lastEventId: string | undefined;
  let attempt = 0;
  let startedAnew = false;
  for (let first = true; ; first = false) {
    const response = await open(lastEventId).catch((error: unknown) => {
      if (first) throw error;
      return undefined;
    });
    if (response?.status === 204 && lastEventId !== undefined && !startedAnew) {
      lastEventId = undefined;
      startedAnew = true;
      continue;
    }
    if (response && isEventStream(response)) {
      const read = await readEvents(response, options.onData, (id) => {
        lastEventId = id;
        attempt = 0;
      });
      if (read.ended) return read.result;
    } else if (first) {
      throw notAStream(response as Response, options.server);
    }
    const delay = RETRY_DELAYS_MS[attempt];
    attempt += 1;
    if (delay === undefined) {
      throw new LaunchError(
        0,
        `The launch stream from ${options.server} broke off and could not be resumed.`,
      );
    }
    options.onReconnect?.(attempt);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function isEventStream(response: Response): boolean {
  return (
    response.body !== null &&
    (response.headers.get('content-type') ?? '').startsWith('text/event-stream')
  );
}

function notAStream(response: Response, server: string): LaunchError {
  return new LaunchError(
    response.status,
    `The server at ${server} answered ${response.status} instead of a launch stream.`,
  );
}

type ReadOutcome<T> = { ended: true; result: T } | { ended: false };

/** Passes each event to `onData` until it returns a result or the stream stops. */
async function readEvents<T>(
  response: Response,
  onData: (data: string) => T | undefined,
  onId: (id: string) => void,
): Promise<ReadOutcome<T>> {
  const reader = (response.body as ReadableStream<BufferSource>)
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { ended: false };
      const result = onData(value.data);
      if (value.id) onId(value.id);
      if (result !== undefined) return { ended: true, result };
    }
  } catch (error) {
    if (error instanceof LaunchError) throw error;
    return { ended: false };
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

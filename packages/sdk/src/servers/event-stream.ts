import { EventSourceParserStream } from 'eventsource-parser/stream';
import { LaunchError } from './types.js';

/**
 * Reads the `data:` payloads of an event-stream response, passing each to `onData`
 * until it returns a result (which this resolves with).
 */
export async function readEventStream<T>(
  response: Response,
  server: string,
  onData: (data: string) => T | undefined,
): Promise<T> {
  if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new LaunchError(
      response.status,
      `The server at ${server} answered ${response.status} instead of a launch stream.`,
    );
  }
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const result = onData(value.data);
      if (result !== undefined) return result;
    }
  } catch (error) {
    if (error instanceof LaunchError) throw error;
    throw new LaunchError(0, `The launch stream from ${server} broke off: ${String(error)}`);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  throw new LaunchError(
    0,
    `The server at ${server} closed the stream before the session was ready.`,
  );
}

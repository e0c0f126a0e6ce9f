import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { LaunchEvent, LaunchRequest, ReadyEvent } from '@binder-cell/launch-protocol';
import { EventSourceParserStream } from 'eventsource-parser/stream';

/** A launch that did not end ready; `status` is the HTTP status it stands for (0: no answer). */
export class LaunchError extends Error {
  override name = 'LaunchError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Asks a binder-cell server for a session and follows the launch's event stream,
 * passing every event to `onEvent`. Resolves with the `ready` event.
 */
export async function requestLaunch(
  server: string,
  request: LaunchRequest,
  onEvent: (event: LaunchEvent) => void,
  signal?: AbortSignal,
): Promise<ReadyEvent> {
  let response: Response;
  try {
    response = await fetch(new URL('api/v1/launch', server), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(request),
      signal,
    });
  } catch {
    throw new LaunchError(0, `Cannot reach the launch server at ${server}.`);
  }
  if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new LaunchError(
      response.status,
      `The launch server at ${server} answered ${response.status} instead of a launch stream.`,
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
      const event = parseLaunchEvent(value.data);
      onEvent(event);
      if (event.phase === 'ready') return event;
      if (event.phase === 'failed') throw new LaunchError(event.status, event.message);
    }
  } catch (error) {
    if (error instanceof LaunchError) throw error;
    throw new LaunchError(0, `The launch stream from ${server} broke off: ${String(error)}`);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  throw new LaunchError(0, 'The launch server closed the stream before the session was ready.');
}

import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { LaunchEvent, LaunchRequest } from '@binder-cell/launch-protocol';
import { EventSourceParserStream } from 'eventsource-parser/stream';

/** One event of a launch stream, with its id (absent on refusals). */
export interface StreamedEvent {
  id: string | undefined;
  event: LaunchEvent;
}

/** A launch's event stream read as it comes, for tests that act in the middle of a launch. */
export interface LaunchStream {
  status: number;
  /** Reads events until one satisfies `found` and returns it; throws when the stream ends first. */
  until(found: (event: LaunchEvent) => boolean): Promise<StreamedEvent>;
  /** Every event read so far. */
  readonly seen: StreamedEvent[];
}

/** POSTs a launch (with `headers`, e.g. `Last-Event-ID`) and opens its event stream. */
export async function openLaunch(
  base: URL,
  request: LaunchRequest,
  headers: Record<string, string> = {},
): Promise<LaunchStream> {
  const response = await fetch(new URL('api/v1/launch', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
  });
  if (!response.body) throw new Error(`the launch answered ${response.status} without a body`);
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  const seen: StreamedEvent[] = [];
  return {
    status: response.status,
    seen,
    async until(found) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the stream ended first: ${JSON.stringify(seen.at(-1))}`);
        const streamed = { id: value.id, event: parseLaunchEvent(value.data) };
        seen.push(streamed);
        if (found(streamed.event)) return streamed;
      }
    },
  };
}

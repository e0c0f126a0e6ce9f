import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { LaunchEvent, LaunchRequest, ReadyEvent } from '@binder-cell/launch-protocol';

/** Reads every `data:` payload of an event-stream body. */
export async function readDataLines(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice('data: '.length));
}

export async function launch(
  base: URL,
  request: LaunchRequest,
): Promise<{ status: number; events: LaunchEvent[] }> {
  const response = await fetch(new URL('api/v1/launch', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const events = (await readDataLines(response)).map(parseLaunchEvent);
  return { status: response.status, events };
}

export async function launchReady(base: URL, request: LaunchRequest): Promise<ReadyEvent> {
  const { events } = await launch(base, request);
  const last = events.at(-1);
  if (last?.phase !== 'ready') {
    throw new Error(`launch did not become ready: ${JSON.stringify(last)}`);
  }
  return last;
}

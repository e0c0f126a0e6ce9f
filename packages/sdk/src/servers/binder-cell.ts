import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { readEventStream } from './event-stream.js';
import { LaunchError, answersOk } from './types.js';
import type { Connection, ServerClient } from './types.js';

/** The binder-cell launch API: `POST /api/v1/launch`, answered as a stream of launch events. */
export const binderCellServer: ServerClient = {
  healthy: (server, _settings, signal) => answersOk(new URL('health', server), { signal }),

  async connect(server, settings, onProgress, signal) {
    let response: Response;
    try {
      response = await fetch(new URL('api/v1/launch', server), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({
          repo: settings.repo,
          kernel: settings.kernel,
          ...(settings.ref ? { ref: settings.ref } : {}),
        }),
        signal,
      });
    } catch {
      throw new LaunchError(0, `Cannot reach the launch server at ${server}.`);
    }
    const ready = await readEventStream<ReadyEvent>(response, server, (data) => {
      const event = parseLaunchEvent(data);
      if (event.phase === 'failed') throw new LaunchError(event.status, event.message);
      if (event.phase === 'ready') return event;
      onProgress({ phase: event.phase, ...(event.log !== undefined ? { log: event.log } : {}) });
      return undefined;
    });
    return connectionFrom(server, ready);
  },
};

function connectionFrom(server: string, ready: ReadyEvent): Connection {
  return {
    server,
    url: ready.url,
    wsUrl: ready.wsUrl,
    token: ready.token,
    kernel: ready.kernel,
    sessionId: ready.sessionId,
    expiresAt: ready.expiresAt,
  };
}

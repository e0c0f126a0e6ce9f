import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { ProgressPhase, ReadyEvent } from '@binder-cell/launch-protocol';
import { readLaunchStream } from './event-stream.js';
import { LaunchError, RECONNECTING_NOTE, answersOk, shutDown } from './types.js';
import type { Connection, ServerClient } from './types.js';

/** The binder-cell launch API: `POST /api/v1/launch`, answered as a stream of launch events. */
export const binderCellServer: ServerClient = {
  healthy: (server, _settings, signal) => answersOk(new URL('health', server), { signal }),
  end: shutDown,

  async connect(server, settings, onProgress, signal) {
    const body = JSON.stringify({
      repo: settings.repo,
      kernel: settings.kernel,
      ...(settings.ref ? { ref: settings.ref } : {}),
    });
    const open = (lastEventId: string | undefined) =>
      fetch(new URL('api/v1/launch', server), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
        },
        body,
        ...(signal ? { signal } : {}),
      }).catch(() => {
        throw new LaunchError(0, `Cannot reach the launch server at ${server}.`);
      });
    let phase: ProgressPhase = 'waiting';
    const ready = await readLaunchStream<ReadyEvent>(open, {
      server,
      onData: (data) => {
        const event = parseLaunchEvent(data);
        if (event.phase === 'failed') throw new LaunchError(event.status, event.message);
        if (event.phase === 'ready') return event;
        phase = event.phase;
        onProgress({ phase, ...(event.log !== undefined ? { log: event.log } : {}) });
        return undefined;
      },
      onReconnect: () => onProgress({ phase, note: RECONNECTING_NOTE }),
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
    ...(ready.kernelId !== undefined ? { kernelId: ready.kernelId } : {}),
  };
}

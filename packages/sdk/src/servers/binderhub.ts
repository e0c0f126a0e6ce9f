import { launchPhaseOf, specWithRef } from '@binder-cell/launch-protocol';
import type { BinderHubEvent, ProgressPhase } from '@binder-cell/launch-protocol';
import { readLaunchStream } from './event-stream.js';
import { LaunchError, RECONNECTING_NOTE, answersOk, shutDown } from './types.js';
import type { Connection, ServerClient } from './types.js';

/** Any BinderHub (mybinder.org among them): `GET /build/<provider>/<spec>` as an event stream. */
export const binderHubServer: ServerClient = {
  healthy: (server, _settings, signal) => answersOk(new URL('health', server), { signal }),
  end: shutDown,

  async connect(server, settings, onProgress, signal) {
    const spec = settings.ref ? specWithRef(settings.repo ?? '', settings.ref) : settings.repo;
    const open = (lastEventId: string | undefined) =>
      fetch(new URL(`build/${spec ?? ''}`, server), {
        headers: {
          accept: 'text/event-stream',
          // Sent only to servers that gave ids (binder-cell's /build); BinderHub gives none.
          ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
        },
        ...(signal ? { signal } : {}),
      }).catch(() => {
        throw new LaunchError(0, `Cannot reach the BinderHub at ${server}.`);
      });
    let phase: ProgressPhase = 'waiting';
    type Ready = Required<Pick<BinderHubEvent, 'url' | 'token'>> & Pick<BinderHubEvent, 'kernelId'>;
    const ready = await readLaunchStream<Ready>(open, {
      server,
      onData: (data) => {
        const event = JSON.parse(data) as BinderHubEvent;
        const named = event.phase?.toLowerCase();
        if (named === 'failed') {
          throw new LaunchError(
            event.status_code ?? 500,
            (event.message ?? 'The build failed.').trim(),
          );
        }
        if (named === 'ready' && event.url && event.token) {
          // binder-cell's /build names a kernel it started (warm pools); BinderHub does not.
          return {
            url: event.url,
            token: event.token,
            ...(event.kernelId !== undefined ? { kernelId: event.kernelId } : {}),
          };
        }
        phase = launchPhaseOf(named);
        const line = event.message?.trim();
        onProgress({ phase, ...(line ? { log: line } : {}) });
        return undefined;
      },
      onReconnect: () => onProgress({ phase, note: RECONNECTING_NOTE }),
    });
    const url = ready.url.endsWith('/') ? ready.url : `${ready.url}/`;
    return {
      server,
      url,
      wsUrl: `ws${url.slice(4)}`,
      token: ready.token,
      kernel: settings.kernel,
      ...(ready.kernelId !== undefined ? { kernelId: ready.kernelId } : {}),
    } satisfies Connection;
  },
};

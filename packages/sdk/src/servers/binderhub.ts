import type { ProgressPhase } from '@binder-cell/launch-protocol';
import { readEventStream } from './event-stream.js';
import { LaunchError, answersOk } from './types.js';
import type { Connection, ServerClient } from './types.js';

interface BinderHubEvent {
  phase?: string;
  message?: string;
  url?: string;
  token?: string;
  status_code?: number;
}

const PHASES: Record<string, ProgressPhase> = {
  waiting: 'waiting',
  fetching: 'fetching',
  building: 'building',
  pushing: 'building',
  built: 'launching',
  launching: 'launching',
};

/** Any BinderHub (mybinder.org among them): `GET /build/<provider>/<spec>` as an event stream. */
export const binderHubServer: ServerClient = {
  healthy: (server, _settings, signal) => answersOk(new URL('health', server), { signal }),

  async connect(server, settings, onProgress, signal) {
    const spec =
      settings.ref && !specHasRef(settings.repo ?? '')
        ? `${settings.repo}/${settings.ref}`
        : settings.repo;
    let response: Response;
    try {
      response = await fetch(new URL(`build/${spec ?? ''}`, server), {
        headers: { accept: 'text/event-stream' },
        signal,
      });
    } catch {
      throw new LaunchError(0, `Cannot reach the BinderHub at ${server}.`);
    }
    const ready = await readEventStream<Required<Pick<BinderHubEvent, 'url' | 'token'>>>(
      response,
      server,
      (data) => {
        const event = JSON.parse(data) as BinderHubEvent;
        const phase = event.phase?.toLowerCase();
        if (phase === 'failed') {
          throw new LaunchError(
            event.status_code ?? 500,
            (event.message ?? 'The build failed.').trim(),
          );
        }
        if (phase === 'ready' && event.url && event.token)
          return { url: event.url, token: event.token };
        const mapped = phase ? PHASES[phase] : undefined;
        const line = event.message?.trim();
        onProgress({ phase: mapped ?? 'building', ...(line ? { log: line } : {}) });
        return undefined;
      },
    );
    const url = ready.url.endsWith('/') ? ready.url : `${ready.url}/`;
    return {
      server,
      url,
      wsUrl: `ws${url.slice(4)}`,
      token: ready.token,
      kernel: settings.kernel,
    } satisfies Connection;
  },
};

/** gh/ and gl/ specs end in a ref after their fixed parts; git/ ones after the escaped URL. */
function specHasRef(spec: string): boolean {
  const parts = spec.split('/');
  return parts[0] === 'gh' ? parts.length >= 4 : parts.length >= 3;
}

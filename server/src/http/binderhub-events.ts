import type { LaunchEvent } from '@binder-cell/launch-protocol';

/** Where a /build request came from, for the `binder_*` fields of BinderHub's `ready` event. */
export interface BinderRequest {
  /** Base URL of this server, with a trailing slash. */
  launchHost: string;
  /** The spec as requested: `<provider>/<spec>`. */
  spec: string;
}

export type BinderHubEvent = Record<string, unknown>;

/**
 * Translates one launch event into the events BinderHub's /build stream would send:
 * build output as `building` messages, `built` before `launching`, `ready` with its
 * `binder_*` fields, and `failed` with `status_code`.
 */
export function toBinderHubEvents(event: LaunchEvent, request: BinderRequest): BinderHubEvent[] {
  switch (event.phase) {
    case 'ready':
      return [
        {
          phase: 'ready',
          message: `server running at ${event.url}\n`,
          url: event.url,
          token: event.token,
          image: event.image,
          repo_url: event.repoUrl,
          binder_ref_url: event.refUrl,
          binder_launch_host: request.launchHost,
          binder_request: `v2/${request.spec}`,
          binder_persistent_request: `v2/${event.repo}`,
          sessionId: event.sessionId,
          wsUrl: event.wsUrl,
          kernel: event.kernel,
          expiresAt: event.expiresAt,
        },
      ];
    case 'failed':
      return [{ phase: 'failed', status_code: event.status, message: `${event.message}\n` }];
    case 'launching':
      return [
        { phase: 'built', imageName: event.image, message: 'Found built image, launching...\n' },
        { phase: 'launching', message: line(event.message ?? 'Launching server...') },
      ];
    case 'resolving':
      return [{ phase: 'fetching', message: line(event.message ?? 'Resolving ref') }];
    default:
      return [{ phase: event.phase, message: line(event.log ?? event.message ?? '') }];
  }
}

function line(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

import type { LaunchEvent } from './events.js';
import type { ProgressPhase } from './phases.js';

/**
 * Phases of BinderHub's `GET /build/<provider>/<spec>` event stream (jupyterhub/binderhub's
 * builder): build output comes as `building` (or with no phase), `built` names the image
 * before `launching`, and the stream ends with `ready` or `failed`.
 */
export const BINDERHUB_PHASES = [
  'waiting',
  'fetching',
  'unknown',
  'building',
  'pushing',
  'built',
  'launching',
  'ready',
  'failed',
] as const;

export type BinderHubPhase = (typeof BINDERHUB_PHASES)[number];

export function isBinderHubPhase(value: unknown): value is BinderHubPhase {
  return typeof value === 'string' && (BINDERHUB_PHASES as readonly string[]).includes(value);
}

/** One event of a /build stream; BinderHub's fields, plus binder-cell's own on `ready`. */
export interface BinderHubEvent {
  /** One of the BinderHub phases; build log lines may come without one. */
  phase?: string;
  /** A line of text, ending in a newline. */
  message?: string;
  /** On `built`. */
  imageName?: string;
  /** On `ready`: the server's base URL (trailing slash) and its token. */
  url?: string;
  /** On `ready`: the session's token. */
  token?: string;
  /** On `ready`: what the session runs. */
  image?: string;
  /** On `ready`: where the repository lives. */
  repo_url?: string;
  /** On `ready`: a page showing the repository at the resolved ref. */
  binder_ref_url?: string;
  /** On `ready`: this server's base URL. */
  binder_launch_host?: string;
  /** On `ready`: `v2/<provider>/<spec>` as requested. */
  binder_request?: string;
  /** On `ready`: `binder_request` pinned to the resolved commit. */
  binder_persistent_request?: string;
  /** On `failed`: the HTTP status the failure stands for. */
  status_code?: number;
  /** On `ready` (binder-cell's own): as in the launch API's `ready` event. */
  sessionId?: string;
  /** On `ready` (binder-cell's own): the session's base URL with a ws:// or wss:// scheme. */
  wsUrl?: string;
  /** On `ready` (binder-cell's own): the kernel name. */
  kernel?: string;
  /** On `ready` (binder-cell's own): when an idle session is culled (ISO 8601). */
  expiresAt?: string;
  /** On `ready`: a kernel already running in the session (see ReadyEvent's `kernelId`). */
  kernelId?: string;
}

/** Where a /build request came from, for the `binder_*` fields of `ready`. */
export interface BinderRequest {
  /** Base URL of the server, with a trailing slash. */
  launchHost: string;
  /** The spec as requested: `<provider>/<spec>`. */
  spec: string;
}

const LAUNCH_PHASE_OF: Readonly<
  Record<Exclude<BinderHubPhase, 'ready' | 'failed'>, ProgressPhase>
> = {
  waiting: 'waiting',
  fetching: 'fetching',
  unknown: 'building',
  building: 'building',
  pushing: 'building',
  built: 'launching',
  launching: 'launching',
};

/** The launch phase a BinderHub progress phase stands for (any case); build output otherwise. */
export function launchPhaseOf(binderHubPhase: string | undefined): ProgressPhase {
  const phase = binderHubPhase?.toLowerCase();
  return isBinderHubPhase(phase) && phase !== 'ready' && phase !== 'failed'
    ? LAUNCH_PHASE_OF[phase]
    : 'building';
}

/**
 * The events BinderHub's /build stream would send for one launch event: build output as
 * `building` messages, `built` before `launching`, `ready` with its `binder_*` fields, and
 * `failed` with `status_code`. Every message ends in a newline, as BinderHub's do.
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
          ...(event.kernelId !== undefined ? { kernelId: event.kernelId } : {}),
        },
      ];
    case 'failed':
      return [{ phase: 'failed', status_code: event.status, message: line(event.message) }];
    case 'launching':
      return [
        {
          phase: 'built',
          ...(event.image !== undefined ? { imageName: event.image } : {}),
          message: 'Found built image, launching...\n',
        },
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

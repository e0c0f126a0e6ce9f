import { isFailureStatus, isLaunchPhase } from './phases.js';
import type { FailureStatus, ProgressPhase } from './phases.js';
import { ProtocolError, assertObject, assertOptionalString, assertString } from './validate.js';

/** A step of a launch that is still under way. `log` carries one line of build output. */
export interface ProgressEvent {
  /** `waiting`, `resolving`, `fetching`, `building` or `launching`. */
  phase: ProgressPhase;
  /** What is happening, for people. */
  message?: string;
  /** One line of git or build output (`fetching`, `building`). */
  log?: string;
  /** On `launching`: the environment the session starts from. */
  image?: string;
}

/** The session is running; `url` and `wsUrl` point at it through the server's proxy. */
export interface ReadyEvent {
  phase: 'ready';
  /** What is happening, for people. */
  message?: string;
  /** The session's id: `GET`/`DELETE /api/v1/sessions/<id>`, and its proxy path. */
  sessionId: string;
  /** Base URL of the session's kernel server, with a trailing slash. */
  url: string;
  /** The same base URL with a ws:// or wss:// scheme. */
  wsUrl: string;
  /** Per-session token: `Authorization: token <token>` or `?token=<token>`. */
  token: string;
  /** Kernel name to start, e.g. `python3`. */
  kernel: string;
  /** ISO 8601 time after which an idle session is culled. */
  expiresAt: string;
  /** What the session runs: an image name or an environment id. */
  image: string;
  /** Repository spec pinned to the resolved revision, e.g. `git/<escaped url>/<sha>`. */
  repo: string;
  /** Resolved revision that the session runs: a commit SHA, or `local`. */
  ref: string;
  /** Where the repository lives (clone URL or local name). */
  repoUrl: string;
  /** A page showing the repository at the resolved revision. */
  refUrl: string;
  /**
   * A kernel of `kernel`'s name the server already started for this session (a warm pool's
   * session), in the repository's root: connect to it instead of starting one. Absent when
   * the session has no kernel yet.
   */
  kernelId?: string;
}

/** The launch failed; no session runs. */
export interface FailedEvent {
  phase: 'failed';
  /** The HTTP status the failure stands for (400 bad spec ... 503 server full). */
  status: FailureStatus;
  /** What went wrong and what to do about it, including the tail of a failed build's log. */
  message: string;
}

export type LaunchEvent = ProgressEvent | ReadyEvent | FailedEvent;

const READY_FIELDS = [
  'sessionId',
  'url',
  'wsUrl',
  'token',
  'kernel',
  'expiresAt',
  'image',
  'repo',
  'ref',
  'repoUrl',
  'refUrl',
];

export function assertLaunchEvent(value: unknown): asserts value is LaunchEvent {
  assertObject(value, 'launch event');
  if (!isLaunchPhase(value.phase)) {
    throw new ProtocolError(`launch event has an unknown phase: ${String(value.phase)}`);
  }
  assertOptionalString(value, 'message', 'launch event');
  if (value.phase === 'ready') {
    for (const key of READY_FIELDS) assertString(value, key, 'ready event');
    assertOptionalString(value, 'kernelId', 'ready event');
  } else if (value.phase === 'failed') {
    if (!isFailureStatus(value.status)) {
      throw new ProtocolError(`failed event has an unknown status: ${String(value.status)}`);
    }
    assertString(value, 'message', 'failed event');
  } else {
    assertOptionalString(value, 'log', 'launch event');
    assertOptionalString(value, 'image', 'launch event');
  }
}

/** Parses one `data:` payload of the launch stream. */
export function parseLaunchEvent(data: string): LaunchEvent {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new ProtocolError('launch event is not valid JSON');
  }
  assertLaunchEvent(value);
  return value;
}

export function isTerminal(event: LaunchEvent): event is ReadyEvent | FailedEvent {
  return event.phase === 'ready' || event.phase === 'failed';
}

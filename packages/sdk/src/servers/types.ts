import type { ProgressPhase } from '@binder-cell/launch-protocol';
import type { SessionSettings } from '../settings.js';

/** A running Jupyter server a kernel can be started on. */
export interface Connection {
  /** The launch server (or Jupyter server) it came from. */
  server: string;
  /** Base URL of the kernel server, with a trailing slash. */
  url: string;
  wsUrl: string;
  token: string;
  kernel: string;
  sessionId?: string;
  expiresAt?: string;
  /**
   * A kernel of `kernel`'s name the launch server already started in the session's root
   * (a warm pool's session): used instead of starting one.
   */
  kernelId?: string;
}

/** One step of a launch, for the status line. */
export interface Progress {
  phase: ProgressPhase;
  /** One line of build output. */
  log?: string;
  /** Something worth saying about the step, e.g. moving on to another server. */
  note?: string;
}

/** Said while a broken launch stream is being resumed. */
export const RECONNECTING_NOTE = 'Lost the connection to the launch server; reconnecting…';

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

/** One kind of server: the binder-cell launch API, a BinderHub, or a plain Jupyter server. */
export interface ServerClient {
  /** Whether the server answers, to pick a healthy one from a list. */
  healthy(server: string, settings: SessionSettings, signal: AbortSignal): Promise<boolean>;
  connect(
    server: string,
    settings: SessionSettings,
    onProgress: (progress: Progress) => void,
    signal?: AbortSignal,
  ): Promise<Connection>;
  /** Ends a session this client launched (a plain Jupyter server is left alone). */
  end(connection: Connection): Promise<void>;
}

/**
 * Jupyter's `POST api/shutdown`: stops a launched server (BinderHub's single-user server,
 * or a binder-cell session). Failing to reach it is not an error: the server culls it.
 */
export async function shutDown(connection: Connection): Promise<void> {
  await fetch(new URL('api/shutdown', connection.url), {
    method: 'POST',
    headers: { authorization: `token ${connection.token}` },
  }).catch(() => undefined);
}

export async function answersOk(url: URL, init: RequestInit = {}): Promise<boolean> {
  try {
    return (await fetch(url, init)).ok;
  } catch {
    return false;
  }
}

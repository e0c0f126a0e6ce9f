import type { BuiltImage } from '../build/types.js';

export interface SpawnRequest {
  sessionId: string;
  image: BuiltImage;
  /** Files the session starts with; the spawner gives the session its own copy. */
  repoDir: string;
  signal: AbortSignal;
}

/** A running kernel-only Jupyter server, reachable by the launch API only. */
export interface KernelServer {
  /** Base URL on the internal network, with a trailing slash. */
  readonly url: string;
  /** The server's own token; it never leaves the launch API. */
  readonly token: string;
  /** Settles when the server has exited, for whatever reason. */
  readonly exited: Promise<void>;
  /** Stops the server and its kernels and removes what the session wrote. */
  stop(): Promise<void>;
}

export interface Spawner {
  spawn(request: SpawnRequest): Promise<KernelServer>;
}

/** The session could not be started (status 500). */
export class SpawnError extends Error {
  override name = 'SpawnError';

  constructor(
    message: string,
    readonly tail: string[] = [],
  ) {
    super(message);
  }
}

import type { BuiltImage } from '../build/types.js';

/** What a session is; kept in its labels, so a restarted server can adopt it. */
export interface SessionDescription {
  id: string;
  tokenHash: string;
  kernel: string;
  /** Spec pinned to the resolved revision (or `image/<name>` for image launches). */
  repo: string;
  ref: string;
  repoUrl: string;
  refUrl: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface SpawnRequest {
  session: SessionDescription;
  image: BuiltImage;
  /** Files the session starts with, for backends that copy them in (the local one). */
  repoDir: string | undefined;
  /** When the session must be gone (its maximum age), for backends that label it. */
  expiresAt: number;
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

/** A session an earlier run of the server started, found running again. */
export interface AdoptedSession {
  session: SessionDescription;
  image: BuiltImage;
  server: KernelServer;
}

export interface Spawner {
  /** True when sessions outlive the server (containers) and are adopted when it starts. */
  readonly persistent: boolean;
  spawn(request: SpawnRequest): Promise<KernelServer>;
  /** Sessions left running by an earlier server; expired ones are removed instead. */
  adopt(now: number): Promise<AdoptedSession[]>;
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

import type { Resources } from '../admission/resources.js';
import type { Config } from '../config.js';
import type { RepoFiles } from '../environment/repo-files.js';
import type { Logger } from '../logger.js';

/**
 * One way of running sessions (the local venvs and processes, Docker images and containers,
 * and room for Kubernetes pods): it builds environments, starts kernel-only Jupyter servers
 * from them, and finds its own sessions again by their labels. The launch pipeline and the
 * routes know only this interface.
 */
export interface Backend {
  /** `local`, `docker`: shown by /health and /versions. */
  readonly name: string;
  /** Changes whenever this backend's builds change; part of every environment's key. */
  readonly builderVersion: string;
  /**
   * True when sessions outlive the server (containers, detached local processes): left
   * running on close, adopted on start.
   */
  readonly persistent: boolean;
  /** True when spawn holds sessions to `SpawnRequest.resources`. */
  readonly enforcesResources?: boolean;
  /** Decides what to build for a repository; throws BackendError (build) for environments it cannot make. */
  plan(source: BuildSource): Promise<BuildPlan>;
  /** An image `{ "image": ... }` launches may run without a build; throws HttpError 400/403/404. */
  findImage(name: string): Promise<BuiltImage>;
  /** Starts a session's kernel server; throws BackendError (start) with the server's last lines. */
  spawn(request: SpawnRequest): Promise<KernelServer>;
  /** The sessions of this server's instance that the engine holds, read back from their labels. */
  listSessions(): Promise<ListedSession[]>;
  /** Reconnects to a listed, running session. */
  adopt(listed: ListedSession): Promise<KernelServer>;
  /** Removes a listed session that is not to be adopted (ended, expired, unreadable). */
  remove(listed: ListedSession): Promise<void>;
  /**
   * A session of this instance another server (replica) may have started, by id; undefined
   * when the engine holds none (or one still starting). Backends whose sessions several
   * servers share (kubernetes) have it: the registry asks on a miss and adopts what it finds.
   */
  findSession?(id: string): Promise<ListedSession | undefined>;
  /**
   * Where a reader's taking a pooled session is recorded so that every server of the
   * instance sees it, atomically (kubernetes: the pod's annotations); without it, warm
   * pools keep their records in the data folder (pools/assignments.ts).
   */
  readonly claims?: SessionClaims;
  /**
   * The running sessions of the whole instance, on every server that shares them (the
   * same figure on each); backends whose sessions several servers share (kubernetes) have
   * it, for /health and /metrics. Read from what the backend already follows (no request
   * per call where it can).
   */
  instanceSessions?(): Promise<InstanceSessions>;
  /** Whether the engine can take launches now. */
  health(): Promise<BackendHealth>;
  /** Lets go of the engine; sessions that outlive the server keep running. */
  close(): void;
}

/** Running sessions of an instance, across its servers. */
export interface InstanceSessions {
  /** Sessions readers hold (a pool member a reader took counts here). */
  readers: number;
  /** Started sessions waiting in warm pools for a reader. */
  pooled: number;
}

/** What a backend is made from. */
export interface BackendContext {
  /** The validated configuration; each backend reads its own section and the shared ones. */
  config: Config;
  logger: Logger;
  /**
   * This server's instance id (config `instanceId`, or the one kept in the data folder):
   * a backend whose sessions outlive the server labels them with it and lists only its own.
   */
  instanceId: string;
}

export type BackendHealth = { ok: true } | { ok: false; problem: string };

/** What a build made: a venv folder or an image, ready for a spawn of the same backend. */
export interface BuiltImage {
  /** Backend-specific handle (venv path, image id). */
  id: string;
  /** Short name shown to people and in events. */
  name: string;
}

export interface StageInput {
  log: (line: string) => void;
  signal: AbortSignal;
}

/** One image of a build, reused whenever an image with its key exists. */
export interface BuildStage {
  /** Equal keys make interchangeable images; each key is built once. */
  readonly key: string;
  /** `environment` or `content`: what this stage adds. */
  readonly kind: string;
  /** What the stage makes, as messages name it: `environment image`, `Python environment`. */
  readonly noun: string;
  find(): Promise<BuiltImage | undefined>;
  build(input: StageInput): Promise<BuiltImage>;
}

/** The repository a build is for. */
export interface BuildSource {
  files: RepoFiles;
  /** Spec pinned to the revision, e.g. `gh/org/repo/<sha>`. */
  repo: string;
  ref: string;
}

export interface BuildPlan {
  /** Built in order; each stage may start from the previous stage's image. */
  readonly stages: readonly BuildStage[];
  /** How repeatable the environment is; goes into the build log. */
  readonly report: readonly string[];
}

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
  /**
   * Set on sessions a warm pool started: the pool's key (see pools/warm-pools.ts). It stays
   * in the labels once a reader takes the session; the pool's assignment records tell.
   */
  pool?: string;
}

export interface SpawnRequest {
  session: SessionDescription;
  image: BuiltImage;
  /** Files the session starts with, for backends that copy them in (the local one). */
  repoDir: string | undefined;
  /** When the session must be gone (epoch ms, its maximum age), for backends that label it. */
  expiresAt: number;
  /** Memory and CPUs granted to this session, over the backend's own limits. */
  resources?: Resources;
  signal: AbortSignal;
  /** Adds a line to the launch's log, which the reader sees (what the start changed, say). */
  log: (line: string) => void;
}

/** A running kernel-only Jupyter server, reachable by the launch API only. */
export interface KernelServer {
  /** Base URL on the internal network, with a trailing slash. */
  readonly url: string;
  /** The server's own token; it never leaves the launch API. */
  readonly token: string;
  /**
   * Settles when the server has exited, for whatever reason; with why, in words for the
   * reader (`it used more memory than its limit allows`), when the backend can tell.
   */
  readonly exited: Promise<string | void>;
  /** Stops the server and its kernels and removes what the session wrote. */
  stop(): Promise<void>;
}

/** A session of this instance that the engine holds, as its labels describe it. */
export interface ListedSession {
  session: SessionDescription;
  image: BuiltImage;
  /** Epoch ms after which it must be gone. */
  expiresAt: number;
  /** False when its kernel server has stopped (a container that exited). */
  running: boolean;
  /** Why it stopped, in words for the reader, when it has and the backend can tell. */
  stoppedBecause?: string;
}

/** A reader's claim on a pooled session, as every server of the instance reads it. */
export interface SessionClaim {
  tokenHash: string;
  /** When the reader took it (epoch ms). */
  createdAt: number;
}

/** Claims on pooled sessions kept in the engine, taken atomically across servers. */
export interface SessionClaims {
  /**
   * Gives the pooled session to a reader (`session` carries the reader's token hash and
   * time): `taken` when another server gave it to one first. Throws when it cannot tell.
   */
  claim(session: SessionDescription): Promise<'claimed' | 'taken'>;
  /** The reader's claim on a session, undefined while it is a free pool member. */
  claimOf(sessionId: string): Promise<SessionClaim | undefined>;
  /**
   * Marks a free pool member as about to be stopped, so that no server gives it to a
   * reader meanwhile; false when a reader has it (it must not be stopped then).
   */
  retire(sessionId: string): Promise<boolean>;
}

/** Answer of `GET /api/v1/sessions/<id>`. */
export interface SessionInfo {
  /** The session's id, as its `ready` event gave it. */
  sessionId: string;
  /** Base URL of the session's kernel server through the proxy, with a trailing slash. */
  url: string;
  /** The same base URL with a ws:// or wss:// scheme. */
  wsUrl: string;
  /** Kernel name the session was launched for. */
  kernel: string;
  /** Repository spec pinned to the resolved revision. */
  repo: string;
  /** Resolved revision: a commit SHA, or `local`. */
  ref: string;
  /** What the session runs: an image name or an environment id. */
  image: string;
  /** ISO 8601 time the session started. */
  createdAt: string;
  /** ISO 8601 time after which an idle session is culled. */
  expiresAt: string;
}

/** Answer of `GET /health`: 200 with `ok`; 503 with `unavailable` or `stopping`. */
export interface HealthInfo {
  /**
   * `ok`: launches are taken; `unavailable`: the backend's engine cannot launch now;
   * `stopping`: the server is shutting down (sessions stay up for the next one to adopt).
   * Both of the last two answer 503, so a load balancer sends readers elsewhere.
   */
  status: 'ok' | 'unavailable' | 'stopping';
  /** The backend sessions run on: `local`, `docker`, ... */
  backend: string;
  /**
   * Sessions readers hold that count against this server's `maxSessions`: all it holds on
   * a server alone; with replicas sharing sessions (kubernetes), those it launched, not
   * those it adopted from other replicas or found at a restart.
   */
  sessions: number;
  /** Sessions this server's warm pools keep ready for launches; with `sessions`, what `maxSessions` counts. */
  pooled: number;
  /**
   * With replicas sharing sessions (kubernetes): the running sessions of the whole
   * instance, the same on every replica (take one, or the maximum, never the sum).
   */
  instance?: { sessions: number; pooled: number };
  /** The server's version. */
  version: string;
  /** Why the server cannot launch now, with `unavailable` or `stopping`. */
  problem?: string;
}

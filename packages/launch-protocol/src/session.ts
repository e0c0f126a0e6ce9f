/** Answer of `GET /api/v1/sessions/<id>`. */
export interface SessionInfo {
  sessionId: string;
  url: string;
  wsUrl: string;
  kernel: string;
  repo: string;
  ref: string;
  image: string;
  createdAt: string;
  expiresAt: string;
}

/** Answer of `GET /health`: 200 with `ok`, 503 with `unavailable` while the backend cannot launch. */
export interface HealthInfo {
  /**
   * `ok`: launches are taken; `unavailable`: the backend's engine cannot launch now;
   * `stopping`: the server is shutting down (sessions stay up for the next one to adopt).
   * Both of the last two answer 503, so a load balancer sends readers elsewhere.
   */
  status: 'ok' | 'unavailable' | 'stopping';
  backend: string;
  sessions: number;
  version: string;
  /** Why the server cannot launch now, with `unavailable` or `stopping`. */
  problem?: string;
}

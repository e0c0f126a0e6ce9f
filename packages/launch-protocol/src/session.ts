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
  status: 'ok' | 'unavailable';
  backend: string;
  sessions: number;
  version: string;
  /** Why the server cannot launch now, with `unavailable`. */
  problem?: string;
}

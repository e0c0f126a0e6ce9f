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

/** Answer of `GET /health`. */
export interface HealthInfo {
  status: 'ok';
  backend: string;
  sessions: number;
  version: string;
}

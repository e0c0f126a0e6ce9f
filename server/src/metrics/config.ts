import { z } from 'zod';

/** The `metrics` section of the configuration: who may read `GET /metrics`. */
export const metricsSettings = z.object({
  /** Serve `GET /metrics`. */
  enabled: z.boolean().default(true),
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  token: z.string().min(16).optional(),
});

export type MetricsSettings = z.infer<typeof metricsSettings>;

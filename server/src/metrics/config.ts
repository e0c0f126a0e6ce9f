import { z } from 'zod';

/** The `metrics` section of the configuration: who may read `GET /metrics`. */
export const metricsSettings = z.strictObject({
  enabled: z.boolean().default(true).describe('Serve `GET /metrics`; `false` answers 404 there.'),
  token: z
    .string()
    .min(16)
    .optional()
    .describe('When set, `/metrics` needs `Authorization: Bearer <token>`.'),
});

export type MetricsSettings = z.infer<typeof metricsSettings>;

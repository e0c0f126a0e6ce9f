import { z } from 'zod';

/**
 * Warm pools (config `pools`): for each, `size` sessions of `repo` (a spec with its branch,
 * tag or commit, resolved again every `refreshSeconds`) kept running with a `kernel`
 * already started. `kernel` defaults to `sessions.defaultKernel`.
 */
export const poolsSettings = z
  .array(
    z.object({
      repo: z.string().min(1),
      size: z.number().int().min(0),
      kernel: z.string().optional(),
      refreshSeconds: z.number().positive().default(60),
    }),
  )
  .default([]);

export type PoolSettings = z.infer<typeof poolsSettings>[number];

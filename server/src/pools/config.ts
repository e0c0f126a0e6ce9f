import { z } from 'zod';

/**
 * Warm pools (config `pools`): for each, `size` sessions of `repo` (a spec with its branch,
 * tag or commit, resolved again every `refreshSeconds`) kept running with a `kernel`
 * already started.
 */
export const poolsSettings = z
  .array(
    z.strictObject({
      repo: z
        .string()
        .min(1)
        .describe('A spec with its branch, tag or commit (`gh/org/course/main`).'),
      size: z.number().int().min(0).describe('Sessions kept ready.'),
      kernel: z.string().optional().describe('Their kernel; `sessions.defaultKernel` when unset.'),
      refreshSeconds: z
        .number()
        .positive()
        .default(60)
        .describe(
          'How often the spec is resolved again (sessions of an older commit are replaced).',
        ),
    }),
  )
  .default([]);

export type PoolSettings = z.infer<typeof poolsSettings>[number];

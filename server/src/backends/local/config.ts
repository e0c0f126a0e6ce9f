import { z } from 'zod';

/** The `local` section of the configuration. */
export const localSettings = z.object({
  /** Python used to create environments. */
  python: z.string().default('python3'),
});

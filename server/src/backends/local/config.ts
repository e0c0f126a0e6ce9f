import { z } from 'zod';

/** The `local` section of the configuration. */
export const localSettings = z.object({
  /** Python used to create environments. */
  python: z.string().default('python3'),
  /**
   * Sessions outlive the server: started detached, recorded in their folder's state file,
   * and adopted by the next server of the same instance. False: they end with the server.
   */
  keepSessions: z.boolean().default(true),
});

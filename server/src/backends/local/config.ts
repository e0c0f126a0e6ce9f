import { z } from 'zod';

/** The `local` section of the configuration. */
export const localSettings = z.object({
  /** Python used to create environments. */
  python: z.string().default('python3'),
  /**
   * runtime.txt asking for a Python this host lacks: `false` fails the launch with 422,
   * `true` builds with `python` instead and says so in the build log.
   */
  pythonFallback: z.boolean().default(false),
  /**
   * Environment files the local backend cannot act on (postBuild, apt.txt, start, ...):
   * `note` lists them in the build log, `fail` refuses the launch with 422.
   */
  unsupportedFiles: z.enum(['note', 'fail']).default('note'),
  /**
   * Sessions outlive the server: started detached, recorded in their folder's state file,
   * and adopted by the next server of the same instance. False: they end with the server.
   */
  keepSessions: z.boolean().default(true),
});

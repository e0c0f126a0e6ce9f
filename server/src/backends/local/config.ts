import { z } from 'zod';

/** The `local` section of the configuration. */
export const localSettings = z.strictObject({
  python: z.string().default('python3').describe('Python used to create environments.'),
  pythonFallback: z
    .boolean()
    .default(false)
    .describe(
      'runtime.txt asking for a Python this host lacks: `false` fails the launch with 422, `true` builds with `python` instead and says so in the build log.',
    ),
  unsupportedFiles: z
    .enum(['note', 'fail'])
    .default('note')
    .describe(
      'Environment files the local backend cannot act on (postBuild, apt.txt, start, ...): `note` lists them in the build log, `fail` refuses the launch with 422.',
    ),
  keepSessions: z
    .boolean()
    .default(true)
    .describe(
      "Sessions outlive the server: started detached, recorded in their folder's state file, and adopted by the next server of the same instance. `false`: they end with the server.",
    ),
});

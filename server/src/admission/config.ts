import { z } from 'zod';
import { CIDR_RANGE, IPV4, IPV6 } from '../util/cidr.js';
import { cpuCount, memoryLimit } from '../util/sizes.js';

const pattern = z
  .string()
  .min(1)
  .describe('A glob over repository names (`gh/org/*`, `git/https://host/**`).');
/** An IP address or a CIDR range (client addresses are compared with these). */
const addressOrRange = z.string().regex(new RegExp(`^(?:${IPV4}|${IPV6}|${CIDR_RANGE})$`), {
  error: (issue) => `${JSON.stringify(issue.input)} is no IP address or CIDR range`,
});
/** An IP address, a CIDR range or a host name. */
const hostOrRange = z.string().regex(new RegExp(`^(?:[^/\\s]+|${CIDR_RANGE})$`), {
  error: (issue) => `${JSON.stringify(issue.input)} is no address, CIDR range or host name`,
});

const resourceMaximum = z.strictObject({
  memory: memoryLimit().describe('Memory, at least 64m: e.g. `4g`, `512m`.'),
  cpus: cpuCount().describe('CPUs; fractions allowed.'),
});

/**
 * The `admission` section: who may launch what, how often, and with what. Patterns are
 * globs over repository names (`gh/org/repo`, `gl/group/project`, `git/https://host/path`,
 * `local/name`, `image/name`), matched with picomatch (`*` stays within a path segment).
 */
export const admissionSettings = z.strictObject({
  apiKeys: z
    .array(z.string().min(16))
    .default([])
    .describe(
      'Keys a launch must carry (`Authorization: Bearer <key>`, or `?key=` on `/build`), at least 16 characters each. Empty: launches need no key.',
    ),
  rateLimit: z
    .strictObject({
      launches: z
        .number()
        .int()
        .min(0)
        .default(10)
        .describe('Launches one client address may start per period; 0 turns the limit off.'),
      periodSeconds: z.number().int().positive().default(3600).describe('The period.'),
      exempt: z
        .array(addressOrRange)
        .default(['127.0.0.0/8', '::1'])
        .describe('Client addresses or CIDR ranges the limit does not apply to.'),
    })
    .prefault({})
    .describe(
      "Launches per client address. Behind a reverse proxy, set `trustProxy` so that the limit sees the clients' addresses rather than the proxy's.",
    ),
  banned: z
    .array(
      z.strictObject({
        pattern,
        message: z.string().min(1).describe('Told to whoever launches it.'),
      }),
    )
    .default([])
    .describe("Repositories refused with 403 and the operator's message (first match wins)."),
  allowed: z
    .array(pattern)
    .default([])
    .describe('When not empty, only repositories matching one of these may launch.'),
  quotas: z
    .array(
      z.strictObject({
        pattern,
        maxSessions: z
          .number()
          .int()
          .positive()
          .describe('Sessions at once, launches under way included.'),
      }),
    )
    .default([])
    .describe('Sessions one repository may have at once, by the first matching pattern.'),
  maxQueuedBuilds: z
    .number()
    .int()
    .min(0)
    .default(16)
    .describe(
      'Builds that may wait for a slot (beyond `build.concurrency` running); more fail with 503.',
    ),
  allowPrivateGitHosts: z
    .array(hostOrRange)
    .default([])
    .describe(
      '`git/` repositories on these hosts or addresses (names, IPs or CIDR ranges) may be reached even when they are loopback, link-local or private.',
    ),
  resources: z
    .strictObject({
      maximum: resourceMaximum
        .prefault({ memory: '2g', cpus: 1 })
        .describe('The most any repository is granted.'),
      rules: z
        .array(resourceMaximum.extend({ pattern }))
        .default([])
        .describe('Maximums for repositories matching a pattern (first match wins).'),
    })
    .prefault({})
    .describe('What repositories may ask for in `binder/resources.json`.'),
});

export type AdmissionSettings = z.infer<typeof admissionSettings>;

import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const MEMORY = /^\d+(\.\d+)?[kmg]?$/i;
const pattern = z.string().min(1);
/** An address, a CIDR range, or (where names are allowed) a host name. */
const addressEntry = z
  .string()
  .min(1)
  .refine((entry) => !entry.includes('/') || ipaddr.isValidCIDR(entry), 'not a valid CIDR range');

const resourceMaximum = z.object({
  /** e.g. `4g`, `512m`. */
  memory: z.string().regex(MEMORY),
  cpus: z.number().positive(),
});

/**
 * The `admission` section: who may launch what, how often, and with what. Patterns are
 * globs over repository names (`gh/org/repo`, `gl/group/project`, `git/https://host/path`,
 * `local/name`, `image/name`), matched with picomatch (`*` stays within a path segment).
 */
export const admissionSettings = z.object({
  /**
   * Keys a launch must carry (`Authorization: Bearer <key>`, or `?key=` on `/build`).
   * Empty: launches need no key.
   */
  apiKeys: z.array(z.string().min(16)).default([]),
  /**
   * Launches one client address may start per period; `launches: 0` turns the limit off.
   * Loopback clients are exempt by default: behind a reverse proxy, set `trustProxy` so
   * that the limit sees the clients' addresses rather than the proxy's.
   */
  rateLimit: z
    .object({
      launches: z.number().int().min(0).default(10),
      periodSeconds: z.number().int().positive().default(3600),
      /** Client addresses or CIDR ranges the limit does not apply to. */
      exempt: z.array(addressEntry).default(['127.0.0.0/8', '::1']),
    })
    .prefault({}),
  /** Repositories refused with 403 and the operator's message (first match wins). */
  banned: z.array(z.object({ pattern, message: z.string().min(1) })).default([]),
  /** When not empty, only repositories matching one of these may launch. */
  allowed: z.array(pattern).default([]),
  /** Sessions one repository may have at once, by the first matching pattern. */
  quotas: z.array(z.object({ pattern, maxSessions: z.number().int().positive() })).default([]),
  /** Builds that may wait for a slot (beyond `build.concurrency` running); more fail with 503. */
  maxQueuedBuilds: z.number().int().min(0).default(16),
  /**
   * `git/` repositories on these hosts or addresses (names, IPs or CIDR ranges) may be
   * reached even when they are loopback, link-local or private.
   */
  allowPrivateGitHosts: z.array(addressEntry).default([]),
  /** What repositories may ask for in `binder/resources.json`. */
  resources: z
    .object({
      /** The most any repository is granted. */
      maximum: resourceMaximum.prefault({ memory: '2g', cpus: 1 }),
      /** Maximums for repositories matching a pattern (first match wins). */
      rules: z.array(resourceMaximum.extend({ pattern })).default([]),
    })
    .prefault({}),
});

export type AdmissionSettings = z.infer<typeof admissionSettings>;

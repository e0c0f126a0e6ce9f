import { z } from 'zod';
import { cpuCount, memoryLimit } from '../../util/sizes.js';

const limitsOverride = z.strictObject({
  memory: memoryLimit().optional().describe('Memory, at least 64m: e.g. `2g`, `512m`.'),
  cpus: cpuCount().optional().describe('CPUs; fractions allowed.'),
  pids: z.number().int().positive().optional().describe('Processes.'),
});
const limitsSchema = z.strictObject({
  memory: memoryLimit().default('2g').describe('Memory, at least 64m: e.g. `2g`, `512m`.'),
  cpus: cpuCount().default(1).describe('CPUs; fractions allowed.'),
  pids: z.number().int().positive().default(512).describe('Processes.'),
});

/** The `docker` section of the configuration. */
export const dockerSettings = z.strictObject({
  socketPath: z
    .string()
    .optional()
    .describe('Docker socket; `DOCKER_HOST` or /var/run/docker.sock when unset.'),
  baseImage: z
    .string()
    .default('binder-cell-base:bookworm')
    .describe(
      'The image every environment starts from (`binder-cell-server base-image` makes it).',
    ),
  debianSuite: z.string().default('bookworm').describe('Debian release of the base image.'),
  basePython: z
    .string()
    .default('3.11')
    .describe("Python version of the base image's Debian release."),
  imagePrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._/-]*$/)
    .default('binder-cell')
    .describe('Names of built images: `<prefix>-env:<key>`, `<prefix>-session:<key>`.'),
  network: z
    .string()
    .default('bridge')
    .describe('Network sessions join (the launch API reaches them on it; nothing is published).'),
  buildNetwork: z
    .string()
    .default('default')
    .describe('Network builds run in; `host` reaches package indexes on 127.0.0.1.'),
  allowedImages: z
    .array(z.string())
    .default([])
    .describe('Images that `{ "image": ... }` launches may use, as globs.'),
  limits: limitsSchema.prefault({}).describe("Each session container's limits."),
  repoLimits: z
    .array(limitsOverride.extend({ match: z.string().min(1).describe('A glob over specs.') }))
    .default([])
    .describe('Limits for repositories whose spec matches a glob (first match wins).'),
});

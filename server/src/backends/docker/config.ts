import { z } from 'zod';

const MEMORY = /^\d+(\.\d+)?[kmg]?$/i;
const limitsOverride = z.object({
  /** e.g. `2g`, `512m`. */
  memory: z.string().regex(MEMORY).optional(),
  cpus: z.number().positive().optional(),
  pids: z.number().int().positive().optional(),
});
const limitsSchema = z.object({
  memory: z.string().regex(MEMORY).default('2g'),
  cpus: z.number().positive().default(1),
  pids: z.number().int().positive().default(512),
});

/** The `docker` section of the configuration. */
export const dockerSettings = z.object({
  /** Docker socket; DOCKER_HOST or /var/run/docker.sock when unset. */
  socketPath: z.string().optional(),
  /** The image every environment starts from (`binder-cell-server base-image` makes it). */
  baseImage: z.string().default('binder-cell-base:bookworm'),
  debianSuite: z.string().default('bookworm'),
  /** Python version of the base image's Debian release. */
  basePython: z.string().default('3.11'),
  imagePrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._/-]*$/)
    .default('binder-cell'),
  /** Network sessions join (the launch API reaches them on it; nothing is published). */
  network: z.string().default('bridge'),
  /** Network builds run in; `host` reaches package indexes on 127.0.0.1. */
  buildNetwork: z.string().default('default'),
  /** Images that `{ "image": ... }` launches may use, as globs. */
  allowedImages: z.array(z.string()).default([]),
  limits: limitsSchema.prefault({}),
  /** Limits for repositories whose spec matches a glob (first match wins). */
  repoLimits: z.array(limitsOverride.extend({ match: z.string().min(1) })).default([]),
});

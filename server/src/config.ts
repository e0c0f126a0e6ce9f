import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LOCAL_NAME_PATTERN } from '@binder-cell/launch-protocol';
import { z } from 'zod';
import { admissionSettings } from './admission/config.js';
import { dockerSettings } from './backends/docker/config.js';
import { BACKEND_NAMES } from './backends/index.js';
import { kubernetesSettings } from './backends/kubernetes/config.js';
import { localSettings } from './backends/local/config.js';
import { INSTANCE_ID } from './instance.js';
import { metricsSettings } from './metrics/config.js';
import { poolsSettings } from './pools/config.js';

const seconds = (fallback: number) => z.number().positive().default(fallback);

const ConfigSchema = z.object({
  /** Interface to listen on. Binds loopback by default: a launch API runs code from repositories. */
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** Base URL clients reach this server at; derived from each request's Host header when unset. */
  publicUrl: z.url().optional(),
  /** Honour X-Forwarded-* headers (set when running behind a reverse proxy). */
  trustProxy: z.boolean().default(false),
  /** Where checkouts, environments and session folders live. */
  dataDir: z.string().default(defaultDataDir()),
  backend: z.enum(BACKEND_NAMES).default('local'),
  /**
   * Names this server's sessions on a shared engine, so it adopts, culls and removes only
   * its own. Unset: a random id kept in `<dataDir>/instance-id`.
   */
  instanceId: z.string().regex(INSTANCE_ID).optional(),
  /** Origins allowed to call the API besides the server's own and localhost. `*` allows any. */
  allowOrigins: z.array(z.string()).default([]),
  /** A folder served at /examples/. */
  examplesDir: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  repos: z
    .object({
      /** `local/<name>` launches: name -> folder. */
      local: z.record(z.string().regex(LOCAL_NAME_PATTERN), z.string()).default({}),
      /** Accept `git/file%3A%2F%2F...` specs. Off by default: they read any repository on this host. */
      allowFileUrls: z.boolean().default(false),
      gitTimeoutSeconds: seconds(120),
      /** Where `gh/` specs are cloned from. */
      github: z.object({ baseUrl: z.url().default('https://github.com') }).prefault({}),
      /** Where `gl/` specs are cloned from. */
      gitlab: z.object({ baseUrl: z.url().default('https://gitlab.com') }).prefault({}),
      /** Tokens for private repositories, by clone-URL prefix (longest prefix wins). */
      credentials: z
        .array(
          z.object({
            urlPrefix: z.string().min(1),
            username: z.string().optional(),
            token: z.string().min(1),
          }),
        )
        .default([]),
    })
    .prefault({}),
  build: z
    .object({
      timeoutSeconds: seconds(1800),
      concurrency: z.number().int().positive().default(2),
    })
    .prefault({}),
  packages: z
    .object({
      /** pip index to install from; the machine's pip configuration (local) or PyPI (docker) when unset. */
      pipIndexUrl: z.url().optional(),
      pipExtraIndexUrls: z.array(z.url()).default([]),
      /**
       * pip's retries per index request. pip's own default (5, with back-off) turns every
       * unreachable index into minutes of waiting per package; 0 fails over at once.
       */
      pipRetries: z.number().int().min(0).default(0),
      /** Debian mirror for apt inside images; the base image's sources when unset. */
      aptMirror: z.url().optional(),
      condaChannel: z.string().default('conda-forge'),
      micromambaUrl: z.url().default('https://micro.mamba.pm/api/micromamba/linux-64/latest'),
      /** `{date}` becomes runtime.txt's snapshot date (or `latest`). */
      cranMirror: z.string().default('https://packagemanager.posit.co/cran/{date}'),
      juliaUrl: z
        .string()
        .default(
          'https://julialang-s3.julialang.org/bin/linux/x64/{minor}/julia-{version}-linux-x86_64.tar.gz',
        ),
      juliaVersion: z.string().default('1.10.5'),
    })
    .prefault({}),
  docker: dockerSettings.prefault({}),
  kubernetes: kubernetesSettings.prefault({}),
  admission: admissionSettings.prefault({}),
  local: localSettings.prefault({}),
  sessions: z
    .object({
      defaultKernel: z.string().default('python3'),
      /** A session with no kernel traffic for this long is stopped. */
      idleTimeoutSeconds: seconds(600),
      /** No session lives longer than this. */
      maxAgeSeconds: seconds(6 * 3600),
      maxSessions: z.number().int().positive().default(32),
      startTimeoutSeconds: seconds(60),
      cullIntervalSeconds: seconds(30),
    })
    .prefault({}),
  launch: z
    .object({
      /** Interval of `:keepalive` comments on event streams. */
      keepaliveSeconds: seconds(25),
      /** How long /build keeps its stream open after `ready`, as BinderHub does. */
      binderHoldSeconds: z.number().min(0).default(60),
      /** How long a finished launch's events can be replayed to a reconnecting client. */
      replaySeconds: seconds(300),
      /**
       * How long a launch whose client went away waits for it to reconnect before the
       * launch is abandoned (or the session it started, if no client took it, is ended).
       */
      resumeSeconds: seconds(60),
      /** Launches one client may have under way at once before getting 429. */
      maxPendingPerClient: z.number().int().positive().default(4),
    })
    .prefault({}),
  metrics: metricsSettings.prefault({}),
  /** Warm pools: sessions kept started for launches of a spec (docs/server.md, "Warm pools"). */
  pools: poolsSettings,
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function defaultDataDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cacheHome, 'binder-cell');
}

/** Validates a configuration object; relative paths in it are taken from `baseDir`. */
export function parseConfig(input: unknown, baseDir = process.cwd()): Config {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(`invalid configuration:\n${z.prettifyError(result.error)}`);
  }
  const config = result.data;
  const fromBase = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  config.dataDir = fromBase(config.dataDir);
  if (config.examplesDir) config.examplesDir = fromBase(config.examplesDir);
  config.repos.local = Object.fromEntries(
    Object.entries(config.repos.local).map(([name, path]) => [name, fromBase(path)]),
  );
  return config;
}

/** Reads a JSON configuration file (if given) and applies overrides on top of it. */
export async function loadConfig(
  file: string | undefined,
  overrides: Record<string, unknown> = {},
): Promise<Config> {
  let fromFile: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
    }
    try {
      fromFile = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const merged = { ...fromFile, ...overrides };
  return parseConfig(merged, file ? dirname(resolve(file)) : process.cwd());
}

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
import { INSTANCE_ID, INSTANCE_ID_RULE } from './instance.js';
import { metricsSettings } from './metrics/config.js';
import { poolsSettings } from './pools/config.js';
import { httpUrl } from './util/http-url.js';

const seconds = (fallback: number) => z.number().positive().default(fallback);

/**
 * The server's configuration. Every key is optional and described with `.describe()`, which
 * the configuration reference (docs/reference/configuration.md) is generated from.
 */
export const ConfigSchema = z.strictObject({
  host: z
    .string()
    .default('127.0.0.1')
    .describe(
      'Interface to listen on. Loopback by default: a launch API runs code from repositories.',
    ),
  port: z
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe('Port to listen on; 0 picks a free one.'),
  publicUrl: httpUrl()
    .optional()
    .describe(
      "Base URL clients reach this server at; derived from each request's Host header when unset.",
    ),
  trustProxy: z
    .boolean()
    .default(false)
    .describe('Honour X-Forwarded-* headers (set when running behind a reverse proxy).'),
  dataDir: z.string().default(defaultDataDir()).meta({
    description: 'Where checkouts, environments and session folders live. One server per folder.',
    default: '$XDG_CACHE_HOME/binder-cell (~/.cache/binder-cell)',
  }),
  backend: z.enum(BACKEND_NAMES).default('local').describe('Where sessions run.'),
  instanceId: z
    .string()
    .regex(INSTANCE_ID, {
      error: (issue) => `${JSON.stringify(issue.input)} is no instance id (${INSTANCE_ID_RULE})`,
    })
    .optional()
    .describe(
      "Names this server's sessions on a shared engine, so it adopts, culls and removes only its own. Unset: a random id kept in `<dataDir>/instance-id`.",
    ),
  allowOrigins: z
    .array(z.string())
    .default([])
    .describe(
      "Origins of pages allowed to call the API, besides the server's own and localhost: exact origins, `scheme://host:*` for any port, or `*`.",
    ),
  examplesDir: z
    .string()
    .optional()
    .describe('A folder served at /examples/ (and / redirects there).'),
  docsDir: z.string().optional().describe('The built documentation site, served at /docs/.'),
  logLevel: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Least severe log lines written (JSON lines on stdout).'),
  repos: z
    .strictObject({
      local: z
        .record(z.string().regex(LOCAL_NAME_PATTERN), z.string())
        .default({})
        .describe('`local/<name>` launches: name -> folder.'),
      allowFileUrls: z
        .boolean()
        .default(false)
        .describe(
          'Accept `git/file%3A%2F%2F...` specs. Off by default: they read any repository on this host.',
        ),
      gitTimeoutSeconds: seconds(120).describe(
        'Longest a git command (ls-remote, fetch) may take.',
      ),
      github: z
        .strictObject({
          baseUrl: httpUrl()
            .default('https://github.com')
            .describe('Where `gh/` specs are cloned from.'),
        })
        .prefault({}),
      gitlab: z
        .strictObject({
          baseUrl: httpUrl()
            .default('https://gitlab.com')
            .describe('Where `gl/` specs are cloned from.'),
        })
        .prefault({}),
      credentials: z
        .array(
          z.strictObject({
            urlPrefix: z.string().min(1).describe('Clone URLs starting with this use the token.'),
            username: z
              .string()
              .optional()
              .describe("User name sent with the token (the host's default when unset)."),
            token: z.string().min(1).describe('Token sent to the git host; never logged.'),
          }),
        )
        .default([])
        .describe('Tokens for private repositories, by clone-URL prefix (longest prefix wins).'),
    })
    .prefault({})
    .describe('Where repositories come from.'),
  build: z
    .strictObject({
      timeoutSeconds: seconds(1800).describe(
        'A build taking longer is stopped and the launch fails.',
      ),
      concurrency: z
        .number()
        .int()
        .positive()
        .default(2)
        .describe('Builds running at once; the rest wait in a queue.'),
    })
    .prefault({})
    .describe('Environment builds.'),
  packages: z
    .strictObject({
      pipIndexUrl: httpUrl()
        .optional()
        .describe(
          "pip index to install from; the machine's pip configuration (local) or PyPI (docker) when unset.",
        ),
      pipExtraIndexUrls: z.array(httpUrl()).default([]).describe('More pip indexes.'),
      pipRetries: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe(
          "pip's retries per index request. pip's own default (5, with back-off) turns every unreachable index into minutes of waiting per package; 0 fails over at once.",
        ),
      aptMirror: httpUrl()
        .optional()
        .describe("Debian mirror for apt inside images; the base image's sources when unset."),
      condaChannel: z
        .string()
        .default('conda-forge')
        .describe('Channel environment.yml files are solved from.'),
      micromambaUrl: httpUrl()
        .default('https://micro.mamba.pm/api/micromamba/linux-64/latest')
        .describe('Where builds download micromamba (conda environments, Pythons Debian lacks).'),
      cranMirror: z
        .string()
        .default('https://packagemanager.posit.co/cran/{date}')
        .describe(
          "CRAN for R repositories; `{date}` becomes runtime.txt's snapshot date (or `latest`).",
        ),
      juliaUrl: z
        .string()
        .default(
          'https://julialang-s3.julialang.org/bin/linux/x64/{minor}/julia-{version}-linux-x86_64.tar.gz',
        )
        .describe('Where Julia is downloaded from; `{minor}` and `{version}` are replaced.'),
      juliaVersion: z
        .string()
        .default('1.10.5')
        .describe('Julia installed for Project.toml repositories.'),
    })
    .prefault({})
    .describe('Where builds install packages from.'),
  docker: dockerSettings.prefault({}).describe('The docker backend.'),
  kubernetes: kubernetesSettings.prefault({}).describe('The kubernetes backend.'),
  admission: admissionSettings
    .prefault({})
    .describe('Who may launch what, how often, and with what.'),
  local: localSettings.prefault({}).describe('The local backend (the default).'),
  sessions: z
    .strictObject({
      defaultKernel: z.string().default('python3').describe('Kernel of launches that name none.'),
      idleTimeoutSeconds: seconds(600).describe(
        'A session with no kernel traffic for this long is stopped.',
      ),
      maxAgeSeconds: seconds(6 * 3600).describe('No session lives longer than this.'),
      maxSessions: z
        .number()
        .int()
        .positive()
        .default(32)
        .describe(
          'Sessions running at once (warm pools included); launches past it fail with 503. With replicas sharing sessions (kubernetes): those this replica launched, not those it adopted.',
        ),
      startTimeoutSeconds: seconds(60).describe(
        "Longest a session's kernel server may take to answer.",
      ),
      cullIntervalSeconds: seconds(30).describe(
        'How often idle and expired sessions are looked for.',
      ),
    })
    .prefault({})
    .describe('Sessions: their kernels, lifetimes and number.'),
  launch: z
    .strictObject({
      keepaliveSeconds: seconds(25).describe('Interval of `:keepalive` comments on event streams.'),
      binderHoldSeconds: z
        .number()
        .min(0)
        .default(60)
        .describe('How long /build keeps its stream open after `ready`, as BinderHub does.'),
      replaySeconds: seconds(300).describe(
        "How long a finished launch's events can be replayed to a reconnecting client.",
      ),
      resumeSeconds: seconds(60).describe(
        'How long a launch whose client went away waits for it to reconnect before the launch is abandoned (or the session it started, if no client took it, is ended).',
      ),
      maxPendingPerClient: z
        .number()
        .int()
        .positive()
        .default(4)
        .describe('Launches one client may have under way at once before getting 429.'),
    })
    .prefault({})
    .describe('Launch event streams.'),
  metrics: metricsSettings.prefault({}).describe('Who may read `GET /metrics`.'),
  pools: poolsSettings.describe('Warm pools: sessions kept started for launches of a spec.'),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/**
 * The JSON Schema (draft-07, which Helm checks values with) of what a configuration file may
 * hold: the configuration reference (docs/reference/configuration.md) and the Helm chart's
 * values schema (deploy/helm/values-schema.ts) are made from it. Checks zod makes in code,
 * across keys (an ephemeral-storage request at most its limit, a range both allowed and
 * blocked), are not in it: the server makes them when it starts.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' });
}

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
  if (config.docsDir) config.docsDir = fromBase(config.docsDir);
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

import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { cpuCount, memoryBytes, memorySize } from '../util/sizes.js';
import { unprocessable } from '../errors.js';
import type { AdmissionSettings } from './config.js';
import { repoMatcher } from './repo-name.js';

/** The file, in a repository's `binder/` or `.binder/` folder, that asks for resources. */
export const RESOURCES_FILE = 'resources.json';

/** What a session may use: memory in bytes, CPUs (fractions allowed). */
export interface Resources {
  memoryBytes?: number;
  cpus?: number;
}

/** What was granted, and what the repository asked for that it did not get. */
export interface ResourceGrant {
  granted: Resources;
  /** Human-readable notes on requests capped to the operator's maximum. */
  capped: string[];
}

const MAX_FILE_BYTES = 4096;
const MIN_MEMORY_BYTES = 64 * 1024 ** 2;
const RequestSchema = z.strictObject({
  /** e.g. `4g`, `512m`, `1.5G`. */
  memory: memorySize().optional(),
  cpus: cpuCount().optional(),
});

/**
 * The resources a repository asks for in `binder/resources.json` (or `.binder/`), e.g.
 * `{ "memory": "4g", "cpus": 2 }`; undefined when it has no such file (repositories without
 * a binder folder are not read: a `resources.json` at their root may mean anything).
 * Throws 422 saying what is wrong with a file that is malformed, too big or a symlink.
 */
export async function readResourceRequest(
  repoDir: string,
  configDir: string,
): Promise<Resources | undefined> {
  if (configDir === '') return undefined;
  const path = join(repoDir, configDir, RESOURCES_FILE);
  const shown = `${configDir}/${RESOURCES_FILE}`;
  const info = await lstat(path).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isFile()) throw unprocessable(`${shown} must be a regular file`);
  if (info.size > MAX_FILE_BYTES) {
    throw unprocessable(`${shown} is larger than ${MAX_FILE_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // JSON.parse's message quotes the text; only say where the problem is.
    throw unprocessable(`${shown} is not valid JSON`);
  }
  const parsed = RequestSchema.safeParse(json);
  if (!parsed.success) {
    throw unprocessable(
      `${shown} is not a resource request (${z.prettifyError(parsed.error).replace(/\n\s*/g, ' ')}); ` +
        'write e.g. { "memory": "4g", "cpus": 2 }',
    );
  }
  const { memory, cpus } = parsed.data;
  if (memory !== undefined && memoryBytes(memory) < MIN_MEMORY_BYTES) {
    throw unprocessable(`${shown} asks for ${memory} of memory; a session needs at least 64m`);
  }
  return {
    ...(memory !== undefined ? { memoryBytes: memoryBytes(memory) } : {}),
    ...(cpus !== undefined ? { cpus } : {}),
  };
}

/** The operator's maximums, per repository pattern (first match) over `maximum`. */
export class ResourceGrants {
  private readonly rules: {
    memoryBytes: number;
    cpus: number;
    matches: (name: string) => boolean;
  }[];
  private readonly maximum: { memoryBytes: number; cpus: number };

  constructor(settings: AdmissionSettings['resources']) {
    this.maximum = {
      memoryBytes: memoryBytes(settings.maximum.memory),
      cpus: settings.maximum.cpus,
    };
    this.rules = settings.rules.map((rule) => ({
      memoryBytes: memoryBytes(rule.memory),
      cpus: rule.cpus,
      matches: repoMatcher(rule.pattern),
    }));
  }

  /** Grants `request` to repository `name`, each resource capped to its maximum. */
  grant(name: string, request: Resources): ResourceGrant {
    const maximum = this.rules.find(({ matches }) => matches(name)) ?? this.maximum;
    const granted: Resources = {};
    const capped: string[] = [];
    if (request.memoryBytes !== undefined) {
      granted.memoryBytes = Math.min(request.memoryBytes, maximum.memoryBytes);
      if (granted.memoryBytes < request.memoryBytes) {
        capped.push(
          `memory ${formatBytes(request.memoryBytes)} asked, ${formatBytes(maximum.memoryBytes)} at most`,
        );
      }
    }
    if (request.cpus !== undefined) {
      granted.cpus = Math.min(request.cpus, maximum.cpus);
      if (granted.cpus < request.cpus)
        capped.push(`${request.cpus} CPUs asked, ${maximum.cpus} at most`);
    }
    return { granted, capped };
  }
}

/** `4 GiB`, `512 MiB`: how grants are shown in launch events. */
export function formatBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  if (gib >= 1) return `${Number(gib.toFixed(2))} GiB`;
  return `${Number((bytes / 1024 ** 2).toFixed(1))} MiB`;
}

/** `4 GiB of memory and 2 CPUs`. */
export function describeResources(resources: Resources): string {
  return [
    ...(resources.memoryBytes !== undefined
      ? [`${formatBytes(resources.memoryBytes)} of memory`]
      : []),
    ...(resources.cpus !== undefined
      ? [`${resources.cpus} CPU${resources.cpus === 1 ? '' : 's'}`]
      : []),
  ].join(' and ');
}

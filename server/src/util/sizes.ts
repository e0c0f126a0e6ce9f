import { z } from 'zod';

/**
 * A memory size as the configuration and `binder/resources.json` write it (Docker's
 * `--memory` style): a number above 0 of bytes, or of `k`, `m`, `g` (binary units, any
 * case): `2g`, `512m`, `1.5G`, `1048576`.
 */
export const MEMORY_SIZE = /^(?:[1-9]\d*(?:\.\d+)?|0\.\d*[1-9]\d*)[kmgKMG]?$/;

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A MEMORY_SIZE, refused at parse naming the value. */
export function memorySize() {
  return z.string().regex(MEMORY_SIZE, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is no memory size above 0 (such as "512m", "4g")`,
  });
}

/**
 * The memory of a session as an operator gives it (a limit, a maximum): at least 64m, in `m`
 * or `g` (any case): `512m`, `2g`, `1.5G`, `0.0625g`. A bare number is bytes to Docker and
 * would be too little to start anything; a size that rounds to 0 bytes would be no limit.
 */
export const MEMORY_LIMIT =
  /^(?:(?:6[4-9]|[7-9]\d|[1-9]\d{2,})(?:\.\d+)?[mM]|(?:[1-9]\d*(?:\.\d+)?|0\.(?:[1-9]\d*|0[7-9]\d*|06[3-9]\d*|062[5-9]\d*))[gG])$/;

/** A MEMORY_LIMIT, refused at parse naming the value. */
export function memoryLimit() {
  return z.string().regex(MEMORY_LIMIT, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is no memory size of at least 64m, in m or g (such as "512m", "4g")`,
  });
}

/**
 * A number of CPUs, fractions allowed: from 0.01 (the least Docker's `--cpus` takes) to 1024.
 */
export function cpuCount() {
  return z.number().min(0.01).max(1024);
}

/** A MEMORY_SIZE in bytes (`2g` -> 2147483648); throws on anything else. */
export function memoryBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kmg]?)$/i.exec(text);
  if (!match?.[1] || !MEMORY_SIZE.test(text)) throw new Error(`invalid memory size "${text}"`);
  return Math.round(Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? 1));
}

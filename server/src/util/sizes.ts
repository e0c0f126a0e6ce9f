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

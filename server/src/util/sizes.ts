import { z } from 'zod';

/**
 * A number above 0 with at most `digits` digits before its point and a few after it, so that
 * every size stays far below what Docker takes (an int64 of bytes) and never rounds to 0.
 */
function above0(digits: number): string {
  return `(?:[1-9]\\d{0,${digits - 1}}(?:\\.\\d{1,6})?|0\\.\\d{0,5}[1-9]\\d{0,5})`;
}

/**
 * A memory size as the configuration and `binder/resources.json` write it (Docker's
 * `--memory` style): a number above 0 of bytes, or of `k`, `m`, `g` (binary units, any
 * case): `2g`, `512m`, `1.5G`, `1048576`; at most 15 digits of bytes (999999g).
 */
export const MEMORY_SIZE = new RegExp(
  `^(?:${above0(15)}|${above0(12)}[kK]|${above0(9)}[mM]|${above0(6)}[gG])$`,
);

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A MEMORY_SIZE, refused at parse naming the value. */
export function memorySize() {
  return z.string().regex(MEMORY_SIZE, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is no memory size above 0 (such as "512m", "4g")`,
  });
}

/**
 * The memory of a session as an operator gives it (a limit, a maximum): at least 64m and at
 * most 999999g, in `m` or `g` (any case): `512m`, `2g`, `1.5G`, `0.0625g`. A bare number is
 * bytes to Docker and would be too little to start anything; a size that rounds to 0 bytes
 * would be no limit.
 */
export const MEMORY_LIMIT =
  /^(?:(?:6[4-9]|[7-9]\d|[1-9]\d{2,8})(?:\.\d{1,6})?[mM]|(?:[1-9]\d{0,5}(?:\.\d{1,6})?|0\.(?:[1-9]\d{0,5}|0[7-9]\d{0,4}|06[3-9]\d{0,3}|062[5-9]\d{0,2}))[gG])$/;

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

import { describe, expect, it } from 'vitest';
import { cpuCount, memoryBytes, memoryLimit, memorySize } from './sizes.js';

describe('memory sizes', () => {
  it('read in Docker units', () => {
    expect(memoryBytes('512m')).toBe(512 * 1024 ** 2);
    expect(memoryBytes('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(memoryBytes('0.5g')).toBe(512 * 1024 ** 2);
    expect(memoryBytes('1048576')).toBe(1048576);
  });

  it('are above 0 and below a petabyte: nothing, or an overflow, would be no limit to Docker', () => {
    for (const size of [
      '0',
      '0g',
      '0.0m',
      '00',
      'lots',
      '4 GB',
      '-1g',
      '1e9',
      '',
      '1000000g',
      '9'.repeat(16),
    ]) {
      expect(memorySize().safeParse(size).success, size).toBe(false);
      expect(() => memoryBytes(size), size).toThrow(/invalid memory size/);
    }
    expect(memorySize().safeParse('0').error?.issues[0]?.message).toBe(
      '"0" is no memory size above 0 (such as "512m", "4g")',
    );
  });
});

describe('memory an operator gives a session', () => {
  it('is at least 64m, in m or g: never 0 bytes (no limit) nor a few bytes', () => {
    for (const size of ['64m', '64.0m', '512M', '2g', '1.5G', '0.0625g', '0.07g', '1000m']) {
      expect(memoryLimit().parse(size)).toBe(size);
      expect(memoryBytes(size)).toBeGreaterThanOrEqual(64 * 1024 ** 2);
    }
    // Nor so much that Docker's int64 of bytes overflows (or JSON writes Infinity as null).
    for (const size of [
      '0.4',
      '4',
      '4096',
      '63m',
      '63.9m',
      '0.06g',
      '0.0624g',
      '100k',
      '0g',
      '9000000000g',
      `${'9'.repeat(400)}g`,
      '1000000000m',
    ]) {
      expect(memoryLimit().safeParse(size).success, size).toBe(false);
    }
    expect(memoryLimit().safeParse('4').error?.issues[0]?.message).toBe(
      '"4" is no memory size of at least 64m, in m or g (such as "512m", "4g")',
    );
  });
});

describe('CPU counts', () => {
  it('run from the 0.01 Docker takes to 1024', () => {
    for (const cpus of [0.01, 0.5, 2, 1024]) expect(cpuCount().parse(cpus)).toBe(cpus);
    for (const cpus of [0, 0.0001, -1, 1025, 1e21]) {
      expect(cpuCount().safeParse(cpus).success, String(cpus)).toBe(false);
    }
  });
});

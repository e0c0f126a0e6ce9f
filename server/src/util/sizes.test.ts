import { describe, expect, it } from 'vitest';
import { cpuCount, memoryBytes, memorySize } from './sizes.js';

describe('memory sizes', () => {
  it('read in Docker units', () => {
    expect(memoryBytes('512m')).toBe(512 * 1024 ** 2);
    expect(memoryBytes('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(memoryBytes('0.5g')).toBe(512 * 1024 ** 2);
    expect(memoryBytes('1048576')).toBe(1048576);
  });

  it('are above 0: nothing would be no limit at all to Docker', () => {
    for (const size of ['0', '0g', '0.0m', '00', 'lots', '4 GB', '-1g', '1e9', '']) {
      expect(memorySize().safeParse(size).success, size).toBe(false);
      expect(() => memoryBytes(size), size).toThrow(/invalid memory size/);
    }
    expect(memorySize().safeParse('0').error?.issues[0]?.message).toBe(
      '"0" is no memory size above 0 (such as "512m", "4g")',
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

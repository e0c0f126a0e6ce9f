import { describe, expect, it } from 'vitest';
import { limitsResolver, memoryBytes } from './limits.js';

describe('container limits', () => {
  it('read memory sizes in Docker units', () => {
    expect(memoryBytes('512m')).toBe(512 * 1024 ** 2);
    expect(memoryBytes('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(memoryBytes('1048576')).toBe(1048576);
    expect(() => memoryBytes('lots')).toThrow(/invalid memory size/);
  });

  it('take the first matching rule over the defaults', () => {
    const limitsFor = limitsResolver({ memory: '2g', cpus: 1, pids: 512 }, [
      { match: 'gh/big-org/**', memory: '8g', cpus: 4 },
      { match: 'gh/**', pids: 100 },
    ]);
    expect(limitsFor('gh/big-org/model/0123')).toEqual({
      memoryBytes: 8 * 1024 ** 3,
      nanoCpus: 4e9,
      pids: 512,
    });
    expect(limitsFor('gh/org/book/0123')).toEqual({
      memoryBytes: 2 * 1024 ** 3,
      nanoCpus: 1e9,
      pids: 100,
    });
  });
});

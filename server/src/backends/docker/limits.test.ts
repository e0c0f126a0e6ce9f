import { describe, expect, it } from 'vitest';
import { limitsResolver } from './limits.js';

describe('container limits', () => {
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

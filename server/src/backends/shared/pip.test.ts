import { describe, expect, it } from 'vitest';
import { pipInstallArgs } from './pip.js';

describe('pipInstallArgs', () => {
  it('passes retries and every index, and drops the cache only when asked', () => {
    const sources = {
      pipIndexUrl: 'http://127.0.0.1:3141/simple',
      pipExtraIndexUrls: ['http://127.0.0.1:3142/simple'],
      pipRetries: 0,
    };
    expect(pipInstallArgs(sources)).toEqual([
      'install',
      '--progress-bar',
      'off',
      '--retries',
      '0',
      '--index-url',
      'http://127.0.0.1:3141/simple',
      '--extra-index-url',
      'http://127.0.0.1:3142/simple',
    ]);
    expect(pipInstallArgs({ pipExtraIndexUrls: [], pipRetries: 2 }, { noCache: true })).toEqual([
      'install',
      '--no-cache-dir',
      '--progress-bar',
      'off',
      '--retries',
      '2',
    ]);
  });
});

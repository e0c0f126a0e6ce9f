import { describe, expect, it } from 'vitest';
import type { RepoFiles } from './repo-files.js';
import { runtimePython } from './runtime.js';

const withRuntime = (text: string | undefined): RepoFiles => ({
  dir: '/repo',
  configDir: '',
  files: new Map(text === undefined ? [] : [['runtime.txt', text]]),
  ignoreFiles: [],
});

describe('runtimePython', () => {
  it.each([
    ['python-3.10\n', '3.10'],
    ['python-3.10.12\n', '3.10'],
    ['python-3.12', '3.12'],
  ])('reads %j as %s', (text, version) => {
    expect(runtimePython(withRuntime(text))).toBe(version);
  });

  it.each([undefined, 'r-4.3-2024-01-10', 'julia-1.10'])('finds no Python in %j', (text) => {
    expect(runtimePython(withRuntime(text))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { isGitProgress } from './git-command.js';

describe('isGitProgress', () => {
  it.each([
    'remote: Counting objects:  50% (1/2)',
    'remote: Compressing objects: 100% (3/3)',
    'Receiving objects:   9% (2/20)',
    'Resolving deltas:  45% (9/20)',
  ])('drops the progress update %j', (line) => {
    expect(isGitProgress(line)).toBe(true);
  });

  it.each([
    'Receiving objects: 100% (20/20), 1.2 MiB | 3.4 MiB/s, done.',
    'remote: Enumerating objects: 6, done.',
    'remote: Total 6 (delta 0), reused 0 (delta 0), pack-reused 0',
    ' * branch            2455ecb -> FETCH_HEAD',
    'fatal: could not read Username',
  ])('keeps %j', (line) => {
    expect(isGitProgress(line)).toBe(false);
  });
});

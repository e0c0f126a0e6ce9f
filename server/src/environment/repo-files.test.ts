import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../test-support/temp-folder.js';
import { readRepoFiles, repoPath } from './repo-files.js';

const folder = (files: Record<string, string>) => tempFolder(files);

describe('readRepoFiles', () => {
  it('reads environment files from the root', async () => {
    const files = await readRepoFiles(
      await folder({
        'requirements.txt': 'numpy\n',
        'runtime.txt': 'python-3.11\n',
        'notes.md': 'x',
      }),
    );
    expect(files.configDir).toBe('');
    expect([...files.files]).toEqual([
      ['requirements.txt', 'numpy\n'],
      ['runtime.txt', 'python-3.11\n'],
    ]);
  });

  it('prefers .binder/ and then binder/, ignoring the root files', async () => {
    const binder = await readRepoFiles(
      await folder({ 'requirements.txt': 'root\n', 'binder/apt.txt': 'jq\n' }),
    );
    expect(binder.configDir).toBe('binder');
    expect([...binder.files.keys()]).toEqual(['apt.txt']);
    expect(repoPath(binder, 'apt.txt')).toBe('binder/apt.txt');
    const dotted = await readRepoFiles(
      await folder({ 'requirements.txt': 'root\n', '.binder/postBuild': 'echo\n' }),
    );
    expect(dotted.configDir).toBe('.binder');
  });

  it('follows links inside the repository and refuses links to files outside it', async () => {
    const dir = await folder({ 'requirements.txt': 'numpy\n', 'binder/apt.txt': 'jq\n' });
    await symlink('../requirements.txt', join(dir, 'binder/requirements.txt'));
    expect((await readRepoFiles(dir)).files.get('requirements.txt')).toBe('numpy\n');

    const outside = await folder({ 'secret.txt': 'server secret\n' });
    await symlink(join(outside, 'secret.txt'), join(dir, 'binder/runtime.txt'));
    const refusal = readRepoFiles(dir);
    await expect(refusal).rejects.toMatchObject({
      status: 422,
      message: 'binder/runtime.txt is a link to a file outside the repository',
    });
  });

  it('refuses a repository with both .binder/ and binder/', async () => {
    const dir = await folder({
      '.binder/requirements.txt': 'a\n',
      'binder/requirements.txt': 'b\n',
    });
    await expect(readRepoFiles(dir)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('both .binder/ and binder/'),
    });
  });

  it('does not take a file named binder for the binder folder', async () => {
    const files = await readRepoFiles(
      await folder({ binder: 'not a folder', 'requirements.txt': 'x\n' }),
    );
    expect(files.configDir).toBe('');
  });

  it('reads the root .dockerignore and .containerignore, in that order', async () => {
    const files = await readRepoFiles(
      await folder({ '.containerignore': 'cache/\n', '.dockerignore': 'data/\n' }),
    );
    expect(files.ignoreFiles).toEqual([
      { path: '.dockerignore', text: 'data/\n' },
      { path: '.containerignore', text: 'cache/\n' },
    ]);
  });

  it.each(['binder', '.binder'])(
    'reads ignore files from %s/ only, as repo2docker does, when that folder exists',
    async (configDir) => {
      const files = await readRepoFiles(
        await folder({
          '.dockerignore': 'binder/\n.binder/\n',
          [`${configDir}/postBuild`]: '#!/bin/sh\n',
          [`${configDir}/.containerignore`]: 'data/\n',
        }),
      );
      expect(files.ignoreFiles).toEqual([
        { path: `${configDir}/.containerignore`, text: 'data/\n' },
      ]);
    },
  );
});

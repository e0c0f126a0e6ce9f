import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectEnvironment } from './environment.js';

async function folder(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'binder-cell-env-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

describe('detectEnvironment', () => {
  it('reads requirements.txt and runtime.txt from the root', async () => {
    const dir = await folder({ 'requirements.txt': 'numpy\n', 'runtime.txt': 'python-3.11\n' });
    expect(await detectEnvironment(dir)).toEqual({
      configDir: '',
      requirements: 'numpy\n',
      runtime: 'python-3.11',
      unsupported: [],
    });
  });

  it('prefers .binder/ and then binder/ over the root, ignoring root files', async () => {
    const dir = await folder({
      'requirements.txt': 'root\n',
      'binder/requirements.txt': 'binder\n',
    });
    expect(await detectEnvironment(dir)).toMatchObject({
      configDir: 'binder',
      requirements: 'binder\n',
    });
    const dotted = await folder({ 'requirements.txt': 'root\n', '.binder/apt.txt': 'curl\n' });
    expect(await detectEnvironment(dotted)).toMatchObject({
      configDir: '.binder',
      requirements: undefined,
      unsupported: ['apt.txt'],
    });
  });

  it('refuses a repository with both .binder/ and binder/', async () => {
    const dir = await folder({
      '.binder/requirements.txt': 'a\n',
      'binder/requirements.txt': 'b\n',
    });
    await expect(detectEnvironment(dir)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('both .binder/ and binder/'),
    });
  });

  it('lists environment files the local builder does not act on', async () => {
    const dir = await folder({ 'environment.yml': 'name: x\n', postBuild: '#!/bin/sh\n' });
    expect((await detectEnvironment(dir)).unsupported).toEqual(['environment.yml', 'postBuild']);
  });
});

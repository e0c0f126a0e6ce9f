import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { HttpError } from '../errors.js';
import { tempFolder } from '../test-support/temp-folder.js';
import { ResourceGrants, describeResources, readResourceRequest } from './resources.js';

const GIB = 1024 ** 3;

async function request(text: string, configDir = 'binder') {
  const dir = await tempFolder({ [`${configDir}/resources.json`]: text });
  return readResourceRequest(dir, configDir);
}

async function malformed(text: string): Promise<string> {
  const error = await request(text).then(
    () => new Error('the request was accepted'),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof HttpError)) throw error;
  expect(error.status).toBe(422);
  return error.message;
}

describe('readResourceRequest', () => {
  it('reads memory and CPUs from binder/ or .binder/', async () => {
    expect(await request('{ "memory": "4g", "cpus": 2 }')).toEqual({
      memoryBytes: 4 * GIB,
      cpus: 2,
    });
    expect(await request('{ "cpus": 0.5 }', '.binder')).toEqual({ cpus: 0.5 });
  });

  it('reads nothing from a repository without one, or without a binder folder', async () => {
    expect(
      await readResourceRequest(await tempFolder({ 'README.md': '' }), 'binder'),
    ).toBeUndefined();
    const root = await tempFolder({ 'resources.json': 'not ours' });
    expect(await readResourceRequest(root, '')).toBeUndefined();
  });

  it.each([
    ['{ "memory": "lots" }', 'binder/resources.json is not a resource request'],
    ['{ "memory": 4 }', 'memory'],
    ['{ "cpus": -1 }', 'cpus'],
    ['{ "cpus": "2" }', 'cpus'],
    ['{ "gpus": 1 }', 'gpus'],
    ['[1, 2]', 'not a resource request'],
    ['{ "memory": "1k" }', 'a session needs at least 64m'],
  ])('refuses %s with 422 saying what is wrong', async (text, problem) => {
    expect(await malformed(text)).toContain(problem);
  });

  it('does not quote a file that is not JSON (it may be a link to something private)', async () => {
    const message = await malformed('root:x:0:0:root:/root:/bin/bash');
    expect(message).toBe('binder/resources.json is not valid JSON');
  });

  it('refuses a symbolic link and an oversized file', async () => {
    const dir = await tempFolder({ 'binder/README.md': '' });
    await symlink('/etc/passwd', join(dir, 'binder/resources.json'));
    await expect(readResourceRequest(dir, 'binder')).rejects.toThrow('must be a regular file');
    expect(await malformed(`{ "memory": "1g", "x": "${'a'.repeat(5000)}" }`)).toContain(
      'larger than 4096 bytes',
    );
  });
});

describe('ResourceGrants', () => {
  const grants = new ResourceGrants(
    parseConfig({
      admission: {
        resources: {
          maximum: { memory: '2g', cpus: 1 },
          rules: [{ pattern: 'gh/big-org/*', memory: '8g', cpus: 4 }],
        },
      },
    }).admission.resources,
  );

  it('grants what is asked up to the maximum of the first matching pattern', () => {
    expect(grants.grant('gh/big-org/model', { memoryBytes: 6 * GIB, cpus: 2 })).toEqual({
      granted: { memoryBytes: 6 * GIB, cpus: 2 },
      capped: [],
    });
  });

  it('caps what is over the maximum and says so', () => {
    const { granted, capped } = grants.grant('gh/small/repo', { memoryBytes: 6 * GIB, cpus: 3 });
    expect(granted).toEqual({ memoryBytes: 2 * GIB, cpus: 1 });
    expect(capped).toEqual(['memory 6 GiB asked, 2 GiB at most', '3 CPUs asked, 1 at most']);
    expect(describeResources(granted)).toBe('2 GiB of memory and 1 CPU');
  });
});

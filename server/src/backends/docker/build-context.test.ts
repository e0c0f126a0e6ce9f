import tarStream from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test-support/temp-folder.js';
import { buildContext } from './build-context.js';
import type { ContextInput } from './build-context.js';
import { JUPYTER_GLUE } from '../shared/glue.js';

const folder = (files: Record<string, string>) => tempFolder(files);

/** Entry names (files only) of a build context. */
async function entries(input: ContextInput): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const extract = tarStream.extract();
  const stream = await buildContext(input);
  stream.pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.type === 'file')
      found.set(entry.header.name, Buffer.concat(chunks).toString());
  }
  return found;
}

describe('buildContext', () => {
  it('puts only the listed environment files into an environment context', async () => {
    const repoDir = await folder({ 'binder/requirements.txt': 'numpy\n', 'notebook.ipynb': '{}' });
    const found = await entries({
      context: { kind: 'environment', files: ['binder/requirements.txt'] },
      dockerfile: 'FROM scratch\n',
      repoDir,
      dockerignore: undefined,
      glueFile: JUPYTER_GLUE,
    });
    expect([...found.keys()].sort()).toEqual(['Dockerfile', 'env/requirements.txt']);
    expect(found.get('env/requirements.txt')).toBe('numpy\n');
  });

  it('puts the repository under repo/ without what .dockerignore and .git exclude', async () => {
    const repoDir = await folder({
      'analysis.ipynb': '{}',
      'data/big.csv': '1,2,3',
      'secret.key': 'hush',
      '.git/HEAD': 'ref: refs/heads/main',
      postBuild: '#!/bin/sh\n',
    });
    const found = await entries({
      context: { kind: 'content' },
      dockerfile: 'FROM scratch\n',
      repoDir,
      dockerignore: 'data/\n*.key\n',
      glueFile: JUPYTER_GLUE,
    });
    expect([...found.keys()].sort()).toEqual([
      'Dockerfile',
      'glue/binder_cell_jupyter.py',
      'repo/analysis.ipynb',
      'repo/postBuild',
    ]);
  });

  it('sends a repository built with its own Dockerfile as it is, minus .dockerignore', async () => {
    const repoDir = await folder({ Dockerfile: 'FROM x\n', 'app.py': '', 'tmp/cache': '' });
    const found = await entries({
      context: { kind: 'repository', dockerfile: 'Dockerfile' },
      dockerfile: '',
      repoDir,
      dockerignore: 'tmp\n',
      glueFile: JUPYTER_GLUE,
    });
    expect([...found.keys()].sort()).toEqual(['Dockerfile', 'app.py']);
  });
});

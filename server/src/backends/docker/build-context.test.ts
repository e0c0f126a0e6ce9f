import tarStream from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test-support/temp-folder.js';
import { buildContext } from './build-context.js';
import type { ContextInput } from './build-context.js';
import { JUPYTER_GLUE } from '../shared/glue.js';

const folder = (files: Record<string, string>) => tempFolder(files);

/** Files of a build context: name -> content. */
async function entries(input: ContextInput): Promise<Map<string, string>> {
  return new Map([...(await fileEntries(input))].map(([name, file]) => [name, file.text]));
}

/** Files of a build context: name -> content and mode. */
async function fileEntries(
  input: ContextInput,
): Promise<Map<string, { text: string; mode: number }>> {
  const found = new Map<string, { text: string; mode: number }>();
  const extract = tarStream.extract();
  const stream = await buildContext(input);
  stream.pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.type === 'file') {
      found.set(entry.header.name, {
        text: Buffer.concat(chunks).toString(),
        mode: entry.header.mode ?? 0,
      });
    }
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
      ignoreFiles: [],
      scripts: [],
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
      ignoreFiles: [{ path: '.dockerignore', text: 'data/\n*.key\n' }],
      scripts: [],
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
      ignoreFiles: [{ path: 'binder/.dockerignore', text: 'tmp\n' }],
      scripts: [],
      glueFile: JUPYTER_GLUE,
    });
    expect([...found.keys()].sort()).toEqual(['Dockerfile', 'app.py']);
  });

  it('applies the rules of every ignore file in order (.containerignore after .dockerignore)', async () => {
    const repoDir = await folder({ 'a.csv': '', 'b.csv': '', 'notes.md': '' });
    const found = await entries({
      context: { kind: 'content' },
      dockerfile: 'FROM scratch\n',
      repoDir,
      ignoreFiles: [
        { path: 'binder/.dockerignore', text: '# data\r\n*.csv\r\n' },
        { path: 'binder/.containerignore', text: '!b.csv\n' },
      ],
      scripts: [],
      glueFile: JUPYTER_GLUE,
    });
    expect([...found.keys()].filter((name) => name.startsWith('repo/')).sort()).toEqual([
      'repo/b.csv',
      'repo/notes.md',
    ]);
  });

  it('puts postBuild and start in as given to it, executable, even when ignore rules exclude them', async () => {
    const repoDir = await folder({
      'binder/postBuild': '#!/bin/sh\r\necho built\r\n',
      'binder/start': '#!/bin/sh\r\nexec "$@"\r\n',
      'binder/requirements.txt': 'numpy\n',
    });
    const found = await fileEntries({
      context: { kind: 'content' },
      dockerfile: 'FROM scratch\n',
      repoDir,
      ignoreFiles: [{ path: '.dockerignore', text: 'binder/\n' }],
      scripts: [
        { path: 'binder/postBuild', text: '#!/bin/sh\necho built\n', notes: [] },
        { path: 'binder/start', text: '#!/bin/sh\nexec "$@"\n', notes: [] },
      ],
      glueFile: JUPYTER_GLUE,
    });
    expect(found.get('repo/binder/postBuild')).toEqual({
      text: '#!/bin/sh\necho built\n',
      mode: 0o755,
    });
    expect(found.get('repo/binder/start')).toEqual({
      text: '#!/bin/sh\nexec "$@"\n',
      mode: 0o755,
    });
    expect(found.has('repo/binder/requirements.txt')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { tempFolder } from '../test-support/temp-folder.js';
import { readRepoFiles } from './repo-files.js';
import { readRequirements, requirementLines } from './requirements.js';

async function graphOf(files: Record<string, string>) {
  return readRequirements(await readRepoFiles(await tempFolder(files)));
}

describe('readRequirements', () => {
  it('follows -r and -c relative to the including file, recursively, once each', async () => {
    const graph = await graphOf({
      'binder/requirements.txt': '-r ../requirements.txt\n--constraint=pins.txt\nrich\n',
      'binder/pins.txt': 'numpy==2.4.6\n',
      'requirements.txt': '-r requirements/base.txt\npandas\n',
      'requirements/base.txt': 'numpy\n-r ../requirements.txt\n',
    });
    expect(graph?.files.map(({ path, kind, includedBy }) => ({ path, kind, includedBy }))).toEqual([
      { path: 'binder/requirements.txt', kind: 'requirements', includedBy: undefined },
      { path: 'requirements.txt', kind: 'requirements', includedBy: 'binder/requirements.txt' },
      { path: 'requirements/base.txt', kind: 'requirements', includedBy: 'requirements.txt' },
      { path: 'binder/pins.txt', kind: 'constraints', includedBy: 'binder/requirements.txt' },
    ]);
  });

  it('finds the repository folders requirement lines install, from the repository root', async () => {
    const graph = await graphOf({
      'binder/requirements.txt': '-e .\n./pkg[extra]\n--editable=./tools/\nfile:./lib\nnumpy\n',
    });
    expect(graph?.localPackages).toEqual(
      ['.', 'pkg', 'tools', 'lib'].map((path) => ({ path, from: 'binder/requirements.txt' })),
    );
  });

  it('leaves URLs and VCS requirements to pip, naming includes from the web', async () => {
    const graph = await graphOf({
      'requirements.txt':
        '-e git+https://example.org/x.git#egg=x\nx @ https://example.org/x.whl\n-r https://example.org/r.txt\n',
    });
    expect(graph?.localPackages).toEqual([]);
    expect(graph?.remoteIncludes).toEqual(['requirements.txt: https://example.org/r.txt']);
  });

  it('refuses an include the repository does not have with 422', async () => {
    await expect(
      graphOf({ 'binder/requirements.txt': '-r ../requirements-dev.txt\n' }),
    ).rejects.toMatchObject({
      status: 422,
      message:
        'binder/requirements.txt includes ../requirements-dev.txt (requirements-dev.txt), which the repository does not have',
    });
  });

  it.each(['-r ../../etc/passwd', '-e ..', '-c /opt/x/requirements.txt'])(
    'refuses %j, which leads outside the repository, with 422',
    async (line) => {
      await expect(graphOf({ 'binder/requirements.txt': `${line}\n` })).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('leads outside the repository'),
      });
    },
  );

  it('is undefined without a requirements.txt', async () => {
    expect(await graphOf({ 'environment.yml': 'dependencies: []\n' })).toBeUndefined();
  });
});

describe('requirementLines', () => {
  it('drops comments and blanks and joins continued lines, keeping URL fragments', () => {
    expect(
      requirementLines('# pins\nnumpy==2 # fast\n\npandas \\\n  >=2\nx @ https://h/x#egg=x\n'),
    ).toEqual(['numpy==2', 'pandas   >=2', 'x @ https://h/x#egg=x']);
  });
});

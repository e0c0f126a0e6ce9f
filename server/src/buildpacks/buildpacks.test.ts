import { describe, expect, it } from 'vitest';
import { formatRenderedBuild, renderBuild } from './render.js';
import type { EnvironmentFile, RepoFiles } from '../environment/repo-files.js';
import { BackendError } from '../backends/shared/backend-error.js';
import { selectBuildPack } from './index.js';
import type { RenderContext } from './types.js';

function repo(files: Partial<Record<EnvironmentFile, string>>, configDir = ''): RepoFiles {
  return {
    dir: '/repo',
    configDir,
    files: new Map(Object.entries(files) as [EnvironmentFile, string][]),
    ignoreFiles: [],
  };
}

const context: RenderContext = {
  builderVersion: '1',
  debianSuite: 'bookworm',
  basePython: '3.11',
  packages: {
    pipIndexUrl: 'http://127.0.0.1:3141/simple',
    pipExtraIndexUrls: [],
    pipRetries: 0,
    condaChannel: 'conda-forge',
    micromambaUrl: 'https://micro.mamba.pm/api/micromamba/linux-64/latest',
    cranMirror: 'https://packagemanager.posit.co/cran/{date}',
    juliaUrl:
      'https://julialang-s3.julialang.org/bin/linux/x64/{minor}/julia-{version}-linux-x86_64.tar.gz',
    juliaVersion: '1.10.5',
  },
};

const SOURCE = { repo: 'gh/binder-examples/demo/0123abc', ref: '0123abc' };

const PYPROJECT =
  '[project]\nname = "demo"\nversion = "0.1"\n\n[build-system]\nrequires = ["setuptools"]\n';

const CASES: [string, RepoFiles, RenderContext?][] = [
  ['python-default', repo({})],
  [
    'pip-requirements',
    repo({
      'requirements.txt': 'numpy==2.4.6\n',
      'apt.txt': 'curl\n# a comment\njq=1.6-2.1\n',
      'runtime.txt': 'python-3.11\n',
      postBuild: '#!/bin/sh\necho built\n',
      start: '#!/bin/sh\nexec "$@"\n',
    }),
  ],
  ['pip-binder-folder', repo({ 'requirements.txt': 'pandas\n', 'setup.py': 'ignored' }, 'binder')],
  ['pip-setup-py', repo({ 'setup.py': 'from setuptools import setup\nsetup()\n' })],
  ['pip-pyproject', repo({ 'pyproject.toml': PYPROJECT })],
  ['pip-requirements-repository', repo({ 'requirements.txt': '-e .\nnumpy\n', 'setup.py': '' })],
  ['pip-other-python', repo({ 'requirements.txt': 'numpy\n', 'runtime.txt': 'python-3.9\n' })],
  [
    'conda',
    repo(
      { 'environment.yml': 'dependencies:\n  - numpy\n', 'runtime.txt': 'python-3.12' },
      '.binder',
    ),
  ],
  ['pipenv', repo({ Pipfile: '[packages]\nnumpy = "*"\n', 'Pipfile.lock': '{}' })],
  ['pipenv-unlocked', repo({ Pipfile: '[packages]\nnumpy = "*"\n' })],
  [
    'r',
    repo({
      'runtime.txt': 'r-4.2-2024-01-15\n',
      'install.R': 'install.packages("ggplot2")\n',
      'requirements.txt': 'numpy\n',
    }),
  ],
  ['r-description', repo({ DESCRIPTION: 'Package: demo\n' })],
  ['julia', repo({ 'Project.toml': '[deps]\n', 'Manifest.toml': '' })],
  ['dockerfile', repo({ Dockerfile: 'FROM binder-cell-base:bookworm\nRUN echo hi\n' }, 'binder')],
  [
    'dockerfile-with-scripts',
    repo(
      {
        Dockerfile: 'FROM binder-cell-base:bookworm\n',
        postBuild: '#!/bin/sh\necho not run\n',
        start: '#!/bin/sh\nexec "$@"\n',
      },
      'binder',
    ),
  ],
  [
    'python-binder-scripts',
    repo({ postBuild: '#!/bin/sh\necho built\n', start: '#!/bin/sh\nexec "$@"\n' }, '.binder'),
  ],
  [
    'pip-extra-indexes',
    repo({ 'requirements.txt': 'numpy\n', postBuild: '#!/bin/sh\npip install --user rich\n' }),
    {
      ...context,
      packages: {
        ...context.packages,
        pipExtraIndexUrls: ['http://a.example.org/simple', 'http://b.example.org/simple'],
        pipRetries: 3,
      },
    },
  ],
  [
    'apt-mirror',
    repo({ 'requirements.txt': 'numpy\n' }),
    {
      ...context,
      packages: { ...context.packages, aptMirror: 'http://mirror.example.org/debian' },
    },
  ],
];

describe('buildpack Dockerfiles (golden files in __golden__)', () => {
  it.each(CASES)('%s', async (name, files, renderContext = context) => {
    await expect(
      formatRenderedBuild(renderBuild(files, renderContext, SOURCE)),
    ).toMatchFileSnapshot(`./__golden__/${name}.Dockerfile`);
  });
});

describe('buildpack detection', () => {
  const detected = (files: RepoFiles) => selectBuildPack(files).name;

  it('takes the first match in the documented order', () => {
    const everything = {
      Dockerfile: 'FROM x',
      'environment.yml': '',
      Pipfile: '',
      'requirements.txt': '',
      DESCRIPTION: '',
      'Project.toml': '',
    } as const;
    expect(detected(repo(everything))).toBe('dockerfile');
    const withoutDockerfile = Object.fromEntries(
      Object.entries(everything).filter(([name]) => name !== 'Dockerfile'),
    );
    expect(detected(repo(withoutDockerfile))).toBe('conda');
    expect(detected(repo({ 'environment.yaml': '' }))).toBe('conda');
    expect(detected(repo({ Pipfile: '', 'requirements.txt': '' }))).toBe('pipenv');
    expect(detected(repo({ 'Pipfile.lock': '{}' }))).toBe('pipenv');
    expect(detected(repo({ 'requirements.txt': '', DESCRIPTION: '' }))).toBe('pip');
    expect(detected(repo({ DESCRIPTION: '', 'Project.toml': '' }))).toBe('r');
    expect(detected(repo({ 'runtime.txt': 'r-2024-01-15' }))).toBe('r');
    expect(detected(repo({ 'Project.toml': '' }))).toBe('julia');
    expect(detected(repo({ 'apt.txt': 'curl' }))).toBe('python');
  });

  it('lets runtime.txt naming R win over requirements.txt, which R installs too', () => {
    expect(detected(repo({ 'requirements.txt': 'numpy', 'runtime.txt': 'r-4.2-2024-01-15' }))).toBe(
      'r',
    );
  });

  it('counts setup.py and pyproject.toml only at the root without a binder folder', () => {
    expect(detected(repo({ 'setup.py': '' }))).toBe('pip');
    expect(detected(repo({ 'setup.py': '' }, 'binder'))).toBe('python');
    expect(detected(repo({ 'pyproject.toml': PYPROJECT }))).toBe('pip');
    expect(detected(repo({ 'pyproject.toml': '[tool.black]\nline-length = 100\n' }))).toBe(
      'python',
    );
  });
});

describe('apt.txt', () => {
  it.each(['curl; rm -rf /', '$(reboot)', 'Curl', 'a b', '-o', '../x'])(
    'refuses %j with a build error naming the line',
    (line) => {
      expect(() => renderBuild(repo({ 'apt.txt': `git\n${line}\n` }), context, SOURCE)).toThrow(
        BackendError,
      );
      expect(() => renderBuild(repo({ 'apt.txt': `git\n${line}\n` }), context, SOURCE)).toThrow(
        /apt\.txt line 2/,
      );
    },
  );
});

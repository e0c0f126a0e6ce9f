import { describe, expect, it } from 'vitest';
import type { EnvironmentFile, RepoFiles } from './repo-files.js';
import { reproducibilityReport, unpinnedRequirements } from './reproducibility.js';
import { readRequirements } from './requirements.js';
import { readRepoFiles } from './repo-files.js';
import { tempFolder } from '../test-support/temp-folder.js';

function repo(files: Partial<Record<EnvironmentFile, string>>, configDir = ''): RepoFiles {
  return {
    dir: '/repo',
    configDir,
    files: new Map(Object.entries(files) as [EnvironmentFile, string][]),
    ignoreFiles: [],
  };
}

const context = { builder: 'docker/1', base: 'binder-cell-base (0123)', buildpack: 'pip' };

describe('reproducibilityReport', () => {
  it('says so when every version is pinned', () => {
    const report = reproducibilityReport(
      repo({ 'requirements.txt': 'numpy==2.4.6\n', 'runtime.txt': 'python-3.11\n' }, 'binder'),
      context,
    );
    expect(report).toEqual([
      'Reproducibility report',
      '  builder: docker/1; base: binder-cell-base (0123)',
      '  buildpack: pip',
      '  environment files: binder/requirements.txt, binder/runtime.txt',
      '  verdict: every version is pinned; a rebuild makes the same environment',
    ]);
  });

  it('lists what a rebuild may change', () => {
    const report = reproducibilityReport(
      repo({
        'requirements.txt': 'numpy\npandas>=2\n',
        'apt.txt': 'curl\njq=1.6-2.1\n',
        'environment.yml': 'dependencies:\n  - scipy\n  - python=3.12\n',
        Pipfile: '[packages]\n',
        'Project.toml': '[deps]\n',
        'install.R': 'install.packages("x")\n',
      }),
      context,
    );
    expect(report.filter((line) => line.startsWith('  unpinned:'))).toEqual([
      '  unpinned: requirements.txt: numpy, pandas (no ==version)',
      '  unpinned: apt.txt: curl (no =version)',
      '  unpinned: environment.yml: scipy (no =version)',
      '  unpinned: Pipfile without Pipfile.lock',
      '  unpinned: Project.toml without Manifest.toml',
      '  unpinned: install.R without a snapshot date in runtime.txt (r-<YYYY-MM-DD>)',
    ]);
    expect(report.at(-1)).toBe(
      '  verdict: 6 unpinned item(s); a rebuild may install newer versions',
    );
  });

  it("names a missing runtime.txt: the language version is then the builder's", () => {
    expect(reproducibilityReport(repo({}), context)).toContain(
      "  unpinned: no runtime.txt: the language version is the builder's default",
    );
  });
});

describe('reproducibilityReport of what a builder uses', () => {
  it("does not judge a Dockerfile's contents, and leaves out the files the Dockerfile buildpack does not use", () => {
    const report = reproducibilityReport(
      repo(
        {
          Dockerfile: 'FROM python\nRUN pip install numpy\n',
          'requirements.txt': 'numpy==2.4.6\n',
        },
        'binder',
      ),
      { ...context, buildpack: 'dockerfile', usedFiles: ['Dockerfile'] },
    );
    expect(report).toEqual([
      'Reproducibility report',
      '  builder: docker/1; base: binder-cell-base (0123)',
      '  buildpack: dockerfile',
      "  environment files: binder/Dockerfile (the repository's own image)",
      "  verdict: not judged: binder-cell does not analyse a Dockerfile's contents; a rebuild " +
        'makes the same environment only if it pins its base image (by digest) and everything it installs',
    ]);
    expect(report.join('\n')).not.toContain('every version is pinned');
  });

  it('names only the files a builder uses, and the packages it adds unpinned', () => {
    const report = reproducibilityReport(
      repo({
        'requirements.txt': 'numpy==2.4.6\n',
        'runtime.txt': 'python-3.11\n',
        'apt.txt': 'curl\n',
      }),
      {
        ...context,
        usedFiles: ['requirements.txt', 'runtime.txt'],
        builderPackages: ['jupyter_server', 'ipykernel'],
      },
    );
    expect(report.slice(3)).toEqual([
      '  environment files: requirements.txt, runtime.txt',
      '  unpinned: jupyter_server, ipykernel (installed by the builder at their newest versions)',
      '  verdict: 1 unpinned item(s); a rebuild may install newer versions',
    ]);
  });

  it('says what a builder makes when it uses none of the files', () => {
    const report = reproducibilityReport(repo({ Dockerfile: 'FROM python\n' }), {
      ...context,
      usedFiles: ['requirements.txt', 'runtime.txt'],
      builderPackages: ['jupyter_server', 'ipykernel'],
    });
    expect(report).toContain(
      '  environment files: none (the environment holds only jupyter_server and ipykernel)',
    );
  });
});

describe('reproducibilityReport with included requirements', () => {
  it('lists included files, their unpinned packages where they are, and repository packages', async () => {
    const files = await readRepoFiles(
      await tempFolder({
        'binder/requirements.txt': '-r ../requirements.txt\n-c pins.txt\n-e .\nrich==14.0\n',
        'binder/runtime.txt': 'python-3.11\n',
        'binder/pins.txt': 'numpy==2.4.6\nscipy\n',
        'requirements.txt': 'numpy\npandas>=2\n',
      }),
    );
    const report = reproducibilityReport(files, {
      ...context,
      requirements: await readRequirements(files),
    });
    expect(report).toContain(
      '  environment files: binder/requirements.txt, binder/runtime.txt, ' +
        'requirements.txt (included by binder/requirements.txt), binder/pins.txt (constraints for binder/requirements.txt)',
    );
    expect(report).toContain(
      '  repository packages: . (from binder/requirements.txt), installed as this commit has them',
    );
    // numpy is pinned by the constraints file; pandas is not.
    expect(report.filter((line) => line.startsWith('  unpinned:'))).toEqual([
      '  unpinned: requirements.txt (included by binder/requirements.txt): pandas (no ==version)',
    ]);
  });

  it('never calls a malformed runtime.txt pinned', () => {
    const report = reproducibilityReport(
      repo({ 'requirements.txt': 'numpy==2.4.6\n', 'runtime.txt': 'python3.11\n' }),
      context,
    );
    expect(report).toContain(
      '  unpinned: runtime.txt says "python3.11", which is not a runtime: write python-X.Y (python-3.11) for Python, or r-<version>-<YYYY-MM-DD> for R',
    );
    expect(report.at(-1)).toContain('1 unpinned item(s)');
  });
});

describe('unpinnedRequirements', () => {
  it('leaves out options, URLs and local paths, and reads markers and extras', () => {
    expect(
      unpinnedRequirements(
        [
          '-r base.txt',
          '--index-url https://x',
          'https://x.org/pkg.whl',
          './local',
          'numpy==2.4.6',
          'pandas[excel]>=2 ; python_version>"3.8"',
          'scipy===1.0',
          'matplotlib  # latest',
        ].join('\n'),
      ),
    ).toEqual(['pandas', 'matplotlib']);
  });
});

import { describe, expect, it } from 'vitest';
import type { EnvironmentFile, RepoFiles } from './repo-files.js';
import { reproducibilityReport, unpinnedRequirements } from './reproducibility.js';

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

import { describe, expect, it } from 'vitest';
import type { EnvironmentFile, RepoFiles } from '../environment/repo-files.js';
import { repoScripts } from './scripts.js';

function repo(files: Partial<Record<EnvironmentFile, string>>, configDir = 'binder'): RepoFiles {
  return {
    dir: '/repo',
    configDir,
    files: new Map(Object.entries(files) as [EnvironmentFile, string][]),
    ignoreFiles: [],
  };
}

describe('repoScripts', () => {
  it('leaves scripts with LF line endings as they are', () => {
    expect(repoScripts(repo({ postBuild: '#!/bin/sh\necho hi\n', start: 'exec "$@"\n' }))).toEqual([
      { path: 'binder/postBuild', text: '#!/bin/sh\necho hi\n', notes: [] },
      { path: 'binder/start', text: 'exec "$@"\n', notes: [] },
    ]);
  });

  it('converts Windows line endings to LF and says so', () => {
    const [script] = repoScripts(repo({ postBuild: '#!/bin/bash\r\necho hi\r\necho old Mac\r' }));
    expect(script?.text).toBe('#!/bin/bash\necho hi\necho old Mac\n');
    expect(script?.notes).toEqual([
      expect.stringMatching(
        /^binder\/postBuild has Windows line endings \(CRLF\): they were converted to LF/,
      ),
    ]);
  });

  it('drops a byte order mark, which hides the #! line, and says so', () => {
    const [script] = repoScripts(repo({ start: '\uFEFF#!/bin/bash\r\nexec "$@"\r\n' }, ''));
    expect(script?.text).toBe('#!/bin/bash\nexec "$@"\n');
    expect(script?.notes).toHaveLength(2);
    expect(script?.notes[0]).toMatch(/^start starts with a byte order mark/);
  });

  it('has nothing to do without postBuild or start', () => {
    expect(repoScripts(repo({ 'requirements.txt': 'numpy\r\n' }))).toEqual([]);
  });
});

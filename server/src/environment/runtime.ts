import type { RepoFiles } from './repo-files.js';

/**
 * The Python version runtime.txt asks for, as `X.Y`: `python-3.10` and `python-3.10.12`
 * both ask for 3.10 (repo2docker reads it the same way). Undefined when it names none.
 */
export function runtimePython(files: RepoFiles): string | undefined {
  return /^python-(\d+\.\d+)/.exec(files.files.get('runtime.txt')?.trim() ?? '')?.[1];
}

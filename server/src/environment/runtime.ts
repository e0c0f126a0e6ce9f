import { unprocessable } from '../errors.js';
import { repoPath } from './repo-files.js';
import type { RepoFiles } from './repo-files.js';

/** What runtime.txt asks for, with its line as written (for messages). */
export type Runtime =
  | { language: 'python'; /** `X.Y` */ version: string; line: string }
  | { language: 'r'; line: string };

const PYTHON_RUNTIME = /^python-(\d+\.\d+)(\.\d+)?$/;
// repo2docker's R forms: r-<version>-<YYYY-MM-DD> and r-<YYYY-MM-DD>.
const R_RUNTIME = /^r-(\d+(\.\d+)*-)?\d{4}-\d{2}-\d{2}$/;

/**
 * Reads runtime.txt the way repo2docker does (its whole text, trimmed): `python-X.Y` or
 * `python-X.Y.Z` ask for Python X.Y, `r-...` for R. Undefined when there is no runtime.txt
 * or it is empty. Throws HttpError 422 for any other text (`python3.11`, `pyhton-3.11`),
 * naming the line and the forms it may take, so a typo never passes as a default.
 */
export function readRuntime(files: RepoFiles): Runtime | undefined {
  const line = files.files.get('runtime.txt')?.trim();
  if (line === undefined || line === '') return undefined;
  const python = PYTHON_RUNTIME.exec(line);
  if (python?.[1] !== undefined) return { language: 'python', version: python[1], line };
  if (R_RUNTIME.test(line)) return { language: 'r', line };
  const suggestion = /^\D*(\d+\.\d+)/.exec(line)?.[1];
  throw unprocessable(
    `${repoPath(files, 'runtime.txt')} says ${JSON.stringify(line)}, which is not a runtime: ` +
      `write python-X.Y${suggestion ? ` (python-${suggestion})` : ''} for Python, ` +
      'or r-<version>-<YYYY-MM-DD> for R',
  );
}

/**
 * The Python version runtime.txt asks for, as `X.Y`: `python-3.10` and `python-3.10.12`
 * both ask for 3.10 (repo2docker reads it the same way). Undefined when it names none;
 * throws HttpError 422 as readRuntime does.
 */
export function runtimePython(files: RepoFiles): string | undefined {
  const runtime = readRuntime(files);
  return runtime?.language === 'python' ? runtime.version : undefined;
}

/**
 * The 422 for a runtime.txt asking for a Python this server cannot provide: names the
 * line, the `X.Y` versions the server has (`versions`, at least one), why it has no
 * other (`why`, optional), and what to write instead.
 */
export function unavailablePython(
  files: RepoFiles,
  line: string,
  versions: readonly string[],
  why?: string,
): Error {
  const [only] = versions;
  const instead =
    versions.length === 1 && only !== undefined
      ? `Ask for python-${only} in runtime.txt`
      : 'Ask for one of those in runtime.txt';
  return unprocessable(
    `${repoPath(files, 'runtime.txt')} asks for ${JSON.stringify(line)}, which this server cannot provide; ` +
      `it has Python ${listOf(versions)}${why ? `; ${why}` : ''}. ${instead}`,
  );
}

/** `3.11`, `3.10 and 3.11`, `3.9, 3.10 and 3.11`. */
function listOf(items: readonly string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

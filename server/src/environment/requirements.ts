import { posix } from 'node:path';
import { unprocessable } from '../errors.js';
import { readRepoFile, repoPath } from './repo-files.js';
import type { RepoFiles } from './repo-files.js';

/** A requirements (or constraints) file pip reads, the top one or one it includes. */
export interface RequirementsFile {
  /** Path from the repository root, e.g. `binder/requirements.txt`. */
  path: string;
  content: string;
  /** `-c` files constrain versions; they install nothing themselves. */
  kind: 'requirements' | 'constraints';
  /** The file whose `-r` or `-c` line names this one; undefined for the top file. */
  includedBy: string | undefined;
}

/** A folder of the repository that a requirement line installs (`-e .`, `./pkg`). */
export interface LocalPackage {
  /** Folder from the repository root, `.` for the root itself. */
  path: string;
  /** The requirements file naming it. */
  from: string;
}

/** Every file a requirements.txt makes pip read, and the repository folders it installs. */
export interface RequirementsGraph {
  /** The top file first, then the files it includes, depth first. */
  files: RequirementsFile[];
  localPackages: LocalPackage[];
  /** Includes pip fetches from the web (`-r https://...`): `<file>: <url>`. */
  remoteIncludes: string[];
}

const INCLUDE = /^(?:(-r|-c)\s*|(--requirement|--constraint)(?:\s+|=))(\S.*)$/;
const EDITABLE = /^(?:-e\s*|--editable(?:\s+|=))(\S.*)$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Reads a repository's requirements.txt and, recursively, the files it includes with `-r`
 * and `-c` (relative to the including file, as pip reads them), and finds the repository
 * folders it installs (`-e .`, `./pkg`, `.[extra]`: relative to the repository root, where
 * both backends run pip). Undefined without a requirements.txt. Throws HttpError 422 for an
 * include the repository does not have, or a path leading outside the repository.
 */
export async function readRequirements(files: RepoFiles): Promise<RequirementsGraph | undefined> {
  const top = files.files.get('requirements.txt');
  if (top === undefined) return undefined;
  const graph: RequirementsGraph = { files: [], localPackages: [], remoteIncludes: [] };
  const pending: RequirementsFile[] = [
    {
      path: repoPath(files, 'requirements.txt'),
      content: top,
      kind: 'requirements',
      includedBy: undefined,
    },
  ];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.shift() as RequirementsFile;
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    graph.files.push(file);
    const included: RequirementsFile[] = [];
    for (const line of requirementLines(file.content)) {
      const include = INCLUDE.exec(line);
      if (include) {
        const target = include[3] ?? '';
        if (URL_LIKE.test(target)) {
          graph.remoteIncludes.push(`${file.path}: ${target}`);
          continue;
        }
        const path = insideRepository(
          posix.isAbsolute(target) ? target : posix.join(posix.dirname(file.path), target),
          file.path,
          line,
        );
        const content = await readRepoFile(files.dir, path);
        if (content === undefined) {
          throw unprocessable(
            `${file.path} includes ${target} (${path}), which the repository does not have`,
          );
        }
        const kind =
          include[1] === '-c' || include[2] === '--constraint' ? 'constraints' : 'requirements';
        included.push({ path, content, kind, includedBy: file.path });
        continue;
      }
      const folder = localFolder(line);
      if (folder !== undefined) {
        graph.localPackages.push({
          path: insideRepository(folder, file.path, line),
          from: file.path,
        });
      }
    }
    pending.unshift(...included);
  }
  return graph;
}

/** A requirements file's lines without comments, blanks and line continuations. */
export function requirementLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** The repository folder a requirement line installs, or undefined when it installs none. */
function localFolder(line: string): string | undefined {
  const target = EDITABLE.exec(line)?.[1] ?? line;
  const path = target
    .replace(/^file:/, '')
    .replace(/\[[^\]]*\]$/, '')
    .replace(/\s*;.*$/, '');
  if (URL_LIKE.test(path) || path.startsWith('/')) return undefined;
  return path === '.' || path === '..' || /^\.{1,2}\//.test(path) ? path : undefined;
}

/** `path` normalised from the repository root; 422 when it leads outside. */
function insideRepository(path: string, from: string, line: string): string {
  const normal = posix.normalize(path);
  if (posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
    throw unprocessable(
      `${from} says ${JSON.stringify(line)}, which leads outside the repository: ` +
        'requirements files may include and install only files of the repository',
    );
  }
  return normal.replace(/\/+$/, '') || '.';
}

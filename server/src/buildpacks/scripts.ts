import type { RepoFiles } from '../environment/repo-files.js';
import { hasFile, repoPath } from '../environment/repo-files.js';

/** Scripts Binder's conventions run inside the image: postBuild at build, start at session start. */
const SCRIPTS = ['postBuild', 'start'] as const;

/** A repository's postBuild or start as the image gets it. */
export interface RepoScript {
  /** Relative to the repository root, e.g. `binder/postBuild`. */
  readonly path: string;
  /** The text with LF line endings and without a byte order mark. */
  readonly text: string;
  /** What was changed, for the build log; empty when the script was left as it is. */
  readonly notes: readonly string[];
}

/**
 * postBuild and start as they go into the image, always executable. Windows line endings
 * (CRLF, or a lone CR) become LF and a UTF-8 byte order mark is dropped: either makes the
 * kernel look for an interpreter named `/bin/bash\r` and fail with `not found` (exit 127).
 * repo2docker converts postBuild's line endings the same way (jupyterhub/repo2docker#301).
 */
export function repoScripts(files: RepoFiles): RepoScript[] {
  return SCRIPTS.filter((name) => hasFile(files, name)).map((name) => {
    const path = repoPath(files, name);
    const original = files.files.get(name) ?? '';
    const notes: string[] = [];
    let text = original;
    if (text.startsWith('\uFEFF')) {
      text = text.slice(1);
      notes.push(`${path} starts with a byte order mark (BOM): it was removed for the build`);
    }
    if (/\r/.test(text)) {
      text = text.replace(/\r\n?/g, '\n');
      notes.push(
        `${path} has Windows line endings (CRLF): they were converted to LF for the build ` +
          '(save it with LF line endings to run it outside Binder too)',
      );
    }
    return { path, text, notes };
  });
}

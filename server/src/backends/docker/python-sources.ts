import { readRuntime, unavailablePython } from '../../environment/runtime.js';
import type { RepoFiles } from '../../environment/repo-files.js';

/** Whether a URL answers at all within a few seconds. */
export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that a build can get the Python runtime.txt asks for: the base image's Python
 * (`basePython`, X.Y) always, any other through micromamba from `micromambaUrl`. Throws
 * HttpError 422 (naming the line and what the server has) when that download does not
 * answer, instead of a build that fails on it.
 */
export async function requireRuntimePython(
  files: RepoFiles,
  basePython: string,
  micromambaUrl: string,
  reachable: (url: string) => Promise<boolean> = answers,
): Promise<void> {
  const runtime = readRuntime(files);
  if (runtime?.language !== 'python' || runtime.version === basePython) return;
  if (await reachable(micromambaUrl)) return;
  throw unavailablePython(
    files,
    runtime.line,
    [basePython],
    `other versions come from conda, and ${micromambaUrl} does not answer`,
  );
}

/** What is known about a kernel server that exited before it answered. */
export interface EarlyExit {
  /** Its exit code; 128 + N when signal N ended it. */
  exitCode: number;
  /** Its last lines of output. */
  tail: readonly string[];
  /** The repository's start script it ran first (its path), if any. */
  startScript?: string | undefined;
  /** True when it was killed for going over its memory limit. */
  outOfMemory?: boolean | undefined;
  /** The user it ran as (`1000:1000`) and its HOME, named in permission hints. */
  user: string;
  home: string | undefined;
}

/**
 * `exited with code N while starting`, followed by the likely cause when the exit code or
 * the last lines tell it (out of memory, a folder it may not write, no jupyter_server, a
 * start script that ends without running the server, a command not found).
 */
export function describeEarlyExit(exit: EarlyExit): string {
  const cause = likelyCause(exit);
  return `exited with code ${exit.exitCode} while starting${cause ? `: ${cause}` : ''}`;
}

function likelyCause(exit: EarlyExit): string | undefined {
  const { exitCode, startScript } = exit;
  const said = (pattern: RegExp) => exit.tail.some((line) => pattern.test(line));
  if (exit.outOfMemory) {
    return 'it used more memory than its limit allows';
  }
  if (said(/PermissionError|Permission denied/)) {
    return (
      `the user it runs as (${exit.user}) may not write where it tried to ` +
      `(HOME is ${exit.home ?? 'not set'}): an image needs ENV HOME set to a folder that user ` +
      "owns, as mybinder's Dockerfile guide shows"
    );
  }
  if (said(/No module named '?(jupyter_server|binder_cell_jupyter)\b/)) {
    return "the image's python3 has no jupyter_server: an image needs it installed for python3";
  }
  if (exitCode === 0 && startScript) {
    return (
      `the start script ${startScript} ended without running the command it was given: ` +
      'start must end with exec "$@"'
    );
  }
  if (exitCode === 126) return 'a command it ran could not be executed (see the last lines)';
  if (exitCode === 127) return 'a command it ran was not found (see the last lines)';
  if (startScript) return `the start script ${startScript} or the server it runs failed`;
  return undefined;
}

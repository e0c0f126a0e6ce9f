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
 * A kernel server that exited before it answered: `exited with code N while starting`,
 * followed by the likely cause when the exit code or the last lines tell it (out of memory,
 * a folder it may not write, no jupyter_server, a start script that ends without running
 * the server, a command not found).
 */
export class EarlyExitError extends Error {
  override name = 'EarlyExitError';

  constructor(
    message: string,
    /** True when the cause is the repository's (its image, its start script): a 422, not a 500. */
    readonly repositoryFault: boolean,
  ) {
    super(message);
  }
}

/** The EarlyExitError for `exit`. */
export function earlyExitError(exit: EarlyExit): EarlyExitError {
  const cause = likelyCause(exit);
  return new EarlyExitError(
    `exited with code ${exit.exitCode} while starting${cause ? `: ${cause.text}` : ''}`,
    cause?.repositoryFault ?? false,
  );
}

interface Cause {
  text: string;
  repositoryFault: boolean;
}

function likelyCause(exit: EarlyExit): Cause | undefined {
  const { exitCode, startScript } = exit;
  const said = (pattern: RegExp) => exit.tail.some((line) => pattern.test(line));
  const repository = (text: string): Cause => ({ text, repositoryFault: true });
  if (exit.outOfMemory) {
    return { text: 'it used more memory than its limit allows', repositoryFault: false };
  }
  if (said(/PermissionError|Permission denied/)) {
    return repository(
      `the user it runs as (${exit.user}) may not write where it tried to ` +
        `(HOME is ${exit.home ?? 'not set'}): an image needs ENV HOME set to a folder that user ` +
        "owns, as mybinder's Dockerfile guide shows",
    );
  }
  if (said(/No module named '?(jupyter_server|binder_cell_jupyter)\b/)) {
    return repository(
      "the image's python3 has no jupyter_server: an image needs it installed for python3",
    );
  }
  if (exitCode === 0 && startScript) {
    return repository(
      `the start script ${startScript} ended without running the command it was given: ` +
        'start must end with exec "$@"',
    );
  }
  const where = startScript ? repository : (text: string) => ({ text, repositoryFault: false });
  if (exitCode === 126) return where('a command it ran could not be executed (see the last lines)');
  if (exitCode === 127) return where('a command it ran was not found (see the last lines)');
  if (startScript)
    return repository(`the start script ${startScript} or the server it runs failed`);
  return undefined;
}

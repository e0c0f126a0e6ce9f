import { runCommand } from '../util/command.js';

/**
 * The oldest git the server runs with: 2.37 added `http.curloptResolve`, which pins a
 * fetch to the addresses the address guard checked (see admission/address-guard.ts).
 * An older git ignores that setting, so a host name could be made to resolve elsewhere
 * between the check and the fetch.
 */
export const MINIMUM_GIT: readonly [number, number] = [2, 37];

/**
 * Parses `git --version` output (`git version 2.39.5`, `git version 2.37.1 (Apple Git-136)`)
 * into `[major, minor]`; undefined when it is not git's version line.
 */
export function parseGitVersion(output: string): [number, number] | undefined {
  const match = /^git version (\d+)\.(\d+)/.exec(output.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * Checks the git the server runs (`command`: the one on PATH) before it takes launches.
 * Throws an Error saying what to install when git is missing or older than MINIMUM_GIT.
 */
export async function requireGit(command = 'git'): Promise<void> {
  const wanted = MINIMUM_GIT.join('.');
  let output: string;
  try {
    output = (await runCommand(command, ['--version'], { env: { ...process.env, LC_ALL: 'C' } }))
      .stdout;
  } catch {
    throw new Error(
      `git was not found: the server fetches repositories with git ${wanted} or newer`,
    );
  }
  const version = parseGitVersion(output);
  if (!version) throw new Error(`could not read git's version from "${output.trim()}"`);
  const [major, minor] = version;
  if (major < MINIMUM_GIT[0] || (major === MINIMUM_GIT[0] && minor < MINIMUM_GIT[1])) {
    throw new Error(
      `git ${major}.${minor} is too old: the server needs git ${wanted} or newer, which ` +
        'pins each fetch to the addresses its address guard checked (http.curloptResolve)',
    );
  }
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A compose command line: Docker's plugin (`docker compose`) or Debian's `docker-compose`. */
export interface Compose {
  command: string;
  prefix: string[];
}

/** The compose this machine has; fails loudly without one (scripts/setup.sh installs Debian's). */
export async function findCompose(): Promise<Compose> {
  for (const candidate of [
    { command: 'docker', prefix: ['compose'] },
    { command: 'docker-compose', prefix: [] },
  ]) {
    const works = await run(candidate.command, [...candidate.prefix, 'version']).then(
      () => true,
      () => false,
    );
    if (works) return candidate;
  }
  throw new Error(
    'neither `docker compose` nor `docker-compose` runs: scripts/setup.sh installs it',
  );
}

/** Runs compose with `args` and `env` added to this process's environment; resolves with stdout. */
export async function compose(
  { command, prefix }: Compose,
  args: string[],
  env: Record<string, string>,
): Promise<string> {
  const { stdout } = await run(command, [...prefix, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

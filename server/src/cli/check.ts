import { createBackend } from '../backends/index.js';
import { newInstanceId } from '../instance.js';
import { createLogger } from '../logger.js';
import { CONFIG_USAGE, configFrom, parseCommandLine, singleTarget } from './options.js';
import { repoSource } from './repo-source.js';

export const CHECK_USAGE = `Usage: binder-cell-server check <folder or spec> [options]

Prints how repeatable a repository's environment is: the environment files used,
what they leave unpinned, and the builder that would build it (--backend picks it).

${CONFIG_USAGE}`;

export async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {});
  if (values.help) {
    process.stdout.write(`${CHECK_USAGE}\n`);
    return 0;
  }
  const target = singleTarget(positionals);
  const config = await configFrom(values);
  // Its output is the report alone: git's fetch log stays out of the terminal.
  const source = await repoSource(target, config, () => undefined);
  // Planning starts no session, so no instance's sessions are at stake.
  const backend = createBackend({
    config,
    logger: createLogger('silent'),
    instanceId: newInstanceId('check'),
  });
  try {
    const plan = await backend.plan(source);
    process.stdout.write(`${plan.report.join('\n')}\n`);
    return 0;
  } finally {
    backend.close();
  }
}

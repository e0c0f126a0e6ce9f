import { BackendError } from '../backends/shared/backend-error.js';
import { HttpError } from '../errors.js';
import { VERSION } from '../version.js';
import { BASE_IMAGE_USAGE, baseImage } from './base-image.js';
import { CHECK_USAGE, check } from './check.js';
import { DOCKERFILE_USAGE, dockerfile } from './dockerfile.js';
import { ConfigError, UsageError, withCommandLineOptions } from './options.js';
import { RUN_USAGE, run } from './run.js';
import { SERVE_USAGE, serve } from './serve.js';

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; usage: string }> = {
  serve: { run: serve, usage: SERVE_USAGE },
  run: { run, usage: RUN_USAGE },
  dockerfile: { run: dockerfile, usage: DOCKERFILE_USAGE },
  check: { run: check, usage: CHECK_USAGE },
  'base-image': { run: baseImage, usage: BASE_IMAGE_USAGE },
};

const USAGE = `Usage: binder-cell-server <command> [options]

Commands:
  serve (default)   serve the launch API
  run <repo>        build a repository and start one session from it
  dockerfile <repo> print the Dockerfiles the docker backend would build
  check <repo>      report how repeatable a repository's environment is
  base-image        create the base image for the docker backend

<repo> is a folder or a spec such as gh/org/repo/main.
"binder-cell-server <command> --help" describes each command.
  -v, --version     print the version`;

export async function main(argv: string[]): Promise<number> {
  const [first] = argv;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first === 'help' || (first === '--help' && argv.length === 1)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const named = first !== undefined && !first.startsWith('-');
  const command = COMMANDS[named ? first : 'serve'];
  if (!command) {
    console.error(`unknown command: ${first}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(named ? argv.slice(1) : argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${command.usage}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof HttpError || error instanceof BackendError) {
      console.error(withCommandLineOptions(error.message));
      return 1;
    }
    throw error;
  }
}

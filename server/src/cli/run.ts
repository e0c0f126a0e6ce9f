import { stat } from 'node:fs/promises';
import { constants } from 'node:os';
import { basename, resolve } from 'node:path';
import { LOCAL_NAME_PATTERN, parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { newInstanceId } from '../instance.js';
import {
  CONFIG_USAGE,
  LISTEN_OPTIONS,
  LISTEN_USAGE,
  UsageError,
  configFrom,
  parseCommandLine,
  singleTarget,
  stringOption,
  withCommandLineOptions,
} from './options.js';
import { startWithSdk, untilStopped } from './serve.js';

export const RUN_USAGE = `Usage: binder-cell-server run <folder or spec> [--kernel <name>] [options]

Builds a repository (a folder, or a spec such as gh/org/repo/main), starts one
session from it, and prints the session's URL and token; Ctrl-C ends it, and the
command exits as signals stop commands: 130 (SIGINT) or 143 (SIGTERM).
Build progress goes to stderr; the server logs only warnings there unless
--log-level says otherwise.

  -k, --kernel <name>     kernel to check for (default python3)
${CONFIG_USAGE}
${LISTEN_USAGE}`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    ...LISTEN_OPTIONS,
    kernel: { type: 'string', short: 'k' },
  });
  if (values.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  const target = singleTarget(positionals);
  const config = await configFrom({ port: '0', 'log-level': 'warn', ...values });
  // Its own instance: it adopts no one's sessions, and nobody adopts its one, which
  // ends with it (a local one even when it is killed).
  config.instanceId = newInstanceId('run');
  config.local.keepSessions = false;
  const folder = resolve(target);
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  let repo = target;
  if (isFolder) {
    const name =
      basename(folder)
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '') || 'repo';
    if (!LOCAL_NAME_PATTERN.test(name)) throw new UsageError(`cannot name the folder ${folder}`);
    config.repos.local[name] = folder;
    repo = `local/${name}`;
  }
  // stdout is for the session's URL and token.
  const { server, logger } = await startWithSdk(config, 2);
  try {
    const kernel = stringOption(values, 'kernel');
    const ready = await launch(server.url, { repo, ...(kernel ? { kernel } : {}) });
    process.stdout.write(
      [
        `Session ${ready.sessionId} runs ${ready.repo} (${ready.image})`,
        `  URL:    ${ready.url}`,
        `  token:  ${ready.token}`,
        `  kernel: ${ready.kernel}`,
        `Try: curl -H 'Authorization: token ${ready.token}' ${ready.url}api/kernelspecs`,
        'Ctrl-C ends the session.',
        '',
      ].join('\n'),
    );
    const signal = await untilStopped(logger);
    await server.registry.endAll('run stopped');
    return 128 + constants.signals[signal];
  } catch (error) {
    console.error(withCommandLineOptions((error as Error).message));
    return 1;
  } finally {
    await server.close();
  }
}

/** Launches through the server's own API, echoing progress and build output to stderr. */
async function launch(base: URL, request: { repo: string; kernel?: string }): Promise<ReadyEvent> {
  const response = await fetch(new URL('api/v1/launch', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.body) throw new Error(`the launch answered ${response.status}`);
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const message of events) {
    const event = parseLaunchEvent(message.data);
    if (event.phase === 'ready') return event;
    if (event.phase === 'failed')
      throw new Error(`launch failed (${event.status}): ${event.message}`);
    const line = event.log ?? event.message;
    if (line) console.error(event.log ? `  ${line}` : `[${event.phase}] ${line}`);
  }
  throw new Error('the launch stream ended before the session was ready');
}

import type { LaunchEvent, ReadyEvent } from '@binder-cell/launch-protocol';
import { execute, startKernel } from './kernel-client.js';
import { launch } from './launch-client.js';

/** What a check inside a session saw: its output, and the launch that made the session. */
export interface SessionCheck {
  stdout: string;
  events: LaunchEvent[];
  session: ReadyEvent;
}

/**
 * Launches `repo` (a spec) on the server at `base`, starts `kernel` in the session, runs
 * `code` there, and returns what it printed — the way repo2docker's fixture repositories are
 * checked by running their `verify` inside the built image. Throws when the launch does not
 * become ready or the code raises (with the kernel's error in the message).
 */
export async function runInSession(
  base: URL,
  repo: string,
  code: string,
  kernel = 'python3',
): Promise<SessionCheck> {
  const { events } = await launch(base, { repo, kernel });
  const session = events.at(-1);
  if (session?.phase !== 'ready') {
    throw new Error(`launch did not become ready: ${JSON.stringify(session)}`);
  }
  const { kernel: connection, dispose } = await startKernel(session);
  try {
    const result = await execute(connection, code);
    if (result.reply.content.status !== 'ok') {
      throw new Error(`the check raised: ${JSON.stringify(result.results)}\n${result.stderr}`);
    }
    return { stdout: result.stdout, events, session };
  } finally {
    dispose();
  }
}

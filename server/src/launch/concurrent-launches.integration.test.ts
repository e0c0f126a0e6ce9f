import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { launch } from '../test-support/launch-client.js';
import { captureLogs } from '../test-support/log-capture.js';
import { startTestServer, stopTestServer } from '../test-support/server.js';

const LAUNCHES = 20;

/** A repository whose environment no earlier run has built (its requirements are new). */
const uncachedRepo = () =>
  createGitRepo({ 'requirements.txt': `# ${randomUUID()}\n`, 'data.txt': 'shared\n' });

describe(`${LAUNCHES} simultaneous launches of one uncached repository`, () => {
  let server: BinderCellServer | undefined;
  afterEach(() => stopTestServer(server));

  it('build its environment once and all become ready', async () => {
    const logs = captureLogs('info');
    const running = await startTestServer(
      { launch: { maxPendingPerClient: LAUNCHES } },
      logs.logger,
    );
    server = running;
    const repo = await uncachedRepo();
    const results = await Promise.all(
      Array.from({ length: LAUNCHES }, () =>
        launch(running.url, { repo: gitSpec(repo.url, 'main') }),
      ),
    );
    expect(results.map(({ events }) => events.at(-1)?.phase)).toEqual(
      Array(LAUNCHES).fill('ready'),
    );
    const sessions = new Set(
      results
        .map(({ events }) => events.at(-1))
        .map((e) => (e && 'sessionId' in e ? e.sessionId : undefined)),
    );
    expect(sessions.size).toBe(LAUNCHES);
    const builds = logs.records().filter((record) => record.msg === 'building a venv');
    expect(builds).toHaveLength(1);
  }, 300_000);

  it('answer over the session quota with clean 503s naming the limit, and the rest become ready', async () => {
    const maxSessions = 5;
    const running = await startTestServer({
      launch: { maxPendingPerClient: LAUNCHES },
      sessions: { maxSessions },
    });
    server = running;
    const repo = await uncachedRepo();
    const results = await Promise.all(
      Array.from({ length: LAUNCHES }, () =>
        launch(running.url, { repo: gitSpec(repo.url, 'main') }),
      ),
    );
    const last = results.map(({ events }) => events.at(-1));
    expect(last.filter((event) => event?.phase === 'ready')).toHaveLength(maxSessions);
    const refused = last.filter((event) => event?.phase === 'failed');
    expect(refused).toHaveLength(LAUNCHES - maxSessions);
    for (const event of refused) {
      expect(event).toMatchObject({
        status: 503,
        message: expect.stringContaining(String(maxSessions)),
      });
    }
    expect(running.registry.size).toBe(maxSessions);
  }, 300_000);
});

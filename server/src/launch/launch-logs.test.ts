import { describe, expect, it } from 'vitest';
import { startTestApp } from '../test-support/app.js';
import { fakeProviders } from '../test-support/fake-providers.js';
import { launch, launchReady } from '../test-support/launch-client.js';
import { captureLogs } from '../test-support/log-capture.js';
import { tempFolder } from '../test-support/temp-folder.js';

async function appLoggingTo(logs: ReturnType<typeof captureLogs>) {
  const repoDir = await tempFolder({ 'requirements.txt': 'numpy\n' });
  return startTestApp({
    providers: fakeProviders({ github: { 'org/book': repoDir } }),
    logger: logs.logger,
  });
}

describe("a launch's log lines", () => {
  it('carry its launch id through every stage, and its session id from ready on', async () => {
    const logs = captureLogs('debug');
    const app = await appLoggingTo(logs);
    try {
      const ready = await launchReady(app.url, { repo: 'gh/org/book/main' });
      const records = logs.records().filter((record) => record.launchId !== undefined);
      const launchIds = new Set(records.map((record) => record.launchId));
      expect(launchIds.size).toBe(1);
      const stages = [...new Set(records.map((record) => record.stage).filter(Boolean))];
      expect(stages).toEqual(['resolve', 'build', 'spawn', 'ready']);
      expect(records.find((record) => record.stage === 'ready')).toMatchObject({
        sessionId: ready.sessionId,
        level: 30,
      });
      expect(records.at(-1)).toMatchObject({ msg: 'launch ended', outcome: 'ready' });
    } finally {
      await app.close();
    }
  });

  it('give each launch its own id and log a failure under the failed stage', async () => {
    const logs = captureLogs('info');
    const app = await appLoggingTo(logs);
    try {
      await launch(app.url, { repo: 'gh/org/book/missing' });
      await launch(app.url, { repo: 'gh/org/unknown/main' });
      const failed = logs.records().filter((record) => record.stage === 'failed');
      expect(failed).toHaveLength(2);
      expect(failed.map((record) => record.status)).toEqual([404, 404]);
      expect(new Set(failed.map((record) => record.launchId)).size).toBe(2);
      const ended = logs.records().filter((record) => record.msg === 'launch ended');
      expect(ended.map((record) => record.outcome)).toEqual(['refused', 'refused']);
    } finally {
      await app.close();
    }
  });
});

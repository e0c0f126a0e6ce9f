import { randomBytes } from 'node:crypto';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../server.js';
import { createGitRepo } from '../test-support/git-repo.js';
import { startGitHttpServer } from '../test-support/git-http-server.js';
import type { GitHttpServer } from '../test-support/git-http-server.js';
import { execute, startKernel } from '../test-support/kernel-client.js';
import { launch, launchReady } from '../test-support/launch-client.js';
import { captureLogs } from '../test-support/log-capture.js';
import { readMetrics, sampleValue } from '../test-support/metrics-text.js';
import { startTestServer } from '../test-support/server.js';

const secret = (name: string) => `${name}-${randomBytes(12).toString('hex')}`;
const basic = (username: string, password: string) =>
  Buffer.from(`${username}:${password}`).toString('base64');

/**
 * A real server (local backend, real git over HTTP, real kernels) logging every line at
 * `trace` into memory, launching two private repositories: one with the reader's token,
 * one with credentials the operator configured.
 */
describe('metrics and logs of a real server launching private repositories', () => {
  const readerToken = secret('reader-token');
  const operatorToken = secret('operator-token');
  const urlPassword = secret('url-password');
  const logs = captureLogs('trace');
  let git: GitHttpServer;
  let server: BinderCellServer;
  let readerSession: ReadyEvent;
  let operatorSession: ReadyEvent;
  const internalTokens: string[] = [];
  let metricsText: string;

  beforeAll(async () => {
    git = await startGitHttpServer();
    const repo = await createGitRepo({ 'README.md': 'private\n' });
    git.publish('reader/book.git', repo.dir, { username: 'x-access-token', password: readerToken });
    git.publish('team/book.git', repo.dir, { username: 'x-access-token', password: operatorToken });
    server = await startTestServer(
      {
        logLevel: 'trace',
        repos: {
          github: { baseUrl: git.url },
          credentials: [{ urlPrefix: `${git.url}/team/`, token: operatorToken }],
        },
      },
      logs.logger,
    );
    readerSession = await launchReady(server.url, {
      repo: 'gh/reader/book/main',
      repoToken: readerToken,
    });
    operatorSession = await launchReady(server.url, { repo: 'gh/team/book/main' });
    await launch(server.url, { repo: 'gh/reader/book/main', repoToken: `${readerToken}x` });
    await launch(server.url, {
      repo: `git/${encodeURIComponent(`http://me:${urlPassword}@127.0.0.1:9/x.git`)}/main`,
    });
    const { kernel, dispose } = await startKernel(readerSession);
    try {
      expect((await execute(kernel, 'print(open("README.md").read())')).stdout).toBe('private\n\n');
    } finally {
      dispose();
    }
    for (const session of server.registry.list()) internalTokens.push(session.server.token);
    metricsText = await readMetrics(server.url);
    const ended = await fetch(new URL(`api/v1/sessions/${readerSession.sessionId}`, server.url), {
      method: 'DELETE',
      headers: { authorization: `token ${readerSession.token}` },
    });
    expect(ended.status).toBe(204);
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await git?.close();
  });

  it('counts the launches by outcome and provider, and times launches and builds', () => {
    const gh = { provider: 'gh' };
    expect(
      sampleValue(metricsText, 'binder_cell_launches_total', { ...gh, outcome: 'ready' }),
    ).toBe(2);
    expect(
      sampleValue(metricsText, 'binder_cell_launches_total', { ...gh, outcome: 'refused' }),
    ).toBe(1);
    expect(
      sampleValue(metricsText, 'binder_cell_launches_total', {
        provider: 'git',
        outcome: 'refused',
      }),
    ).toBe(1);
    expect(
      sampleValue(metricsText, 'binder_cell_launch_duration_seconds_count', {
        ...gh,
        outcome: 'ready',
      }),
    ).toBe(2);
    const builds = ['built', 'reused'].map(
      (outcome) =>
        sampleValue(metricsText, 'binder_cell_build_duration_seconds_count', { ...gh, outcome }) ??
        0,
    );
    expect(builds[0]! + builds[1]!).toBe(2);
  });

  it('reports the sessions of the local backend and the WebSocket traffic of the kernel', () => {
    expect(sampleValue(metricsText, 'binder_cell_sessions', { backend: 'local' })).toBe(2);
    const ws = { kind: 'websocket' };
    expect(sampleValue(metricsText, 'binder_cell_proxy_connections', ws)).toBe(1);
    for (const direction of ['to_kernel', 'from_kernel']) {
      expect(
        sampleValue(metricsText, 'binder_cell_proxy_bytes_total', { ...ws, direction }),
      ).toBeGreaterThan(100);
    }
  });

  it('carries the launch id through every stage of a real launch', () => {
    const ready = logs
      .records()
      .find((record) => record.stage === 'ready' && record.sessionId === readerSession.sessionId);
    expect(ready?.launchId).toBeTypeOf('string');
    const stages = logs
      .records()
      .filter((record) => record.launchId === ready?.launchId)
      .map((record) => record.stage);
    expect([...new Set(stages.filter(Boolean))]).toEqual(['resolve', 'build', 'spawn', 'ready']);
  });

  it('never logs a token, a credential or an Authorization header', () => {
    // Kernel servers write their own output to their session folder, not to these logs.
    const records = logs.records();
    expect(records.some((record) => record.sessionId === operatorSession.sessionId)).toBe(true);
    const secrets = [
      readerToken,
      operatorToken,
      basic('x-access-token', readerToken),
      basic('x-access-token', operatorToken),
      urlPassword,
      readerSession.token,
      operatorSession.token,
      ...internalTokens,
    ];
    expect(internalTokens).toHaveLength(2);
    const leaks = logs.lines.flatMap((line) =>
      secrets.filter((value) => line.includes(value)).map((value) => ({ value, line })),
    );
    expect(leaks).toEqual([]);
  });
});

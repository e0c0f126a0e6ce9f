import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { LaunchRequest, ReadyEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from './server.js';
import { createGitRepo, gitSpec } from './test-support/git-repo.js';
import type { GitRepo } from './test-support/git-repo.js';
import { execute, startKernel } from './test-support/kernel-client.js';
import { launch, launchReady, readDataLines } from './test-support/launch-client.js';
import { TEST_DATA_DIR, startTestServer } from './test-support/server.js';

describe('launching a session from a real git repository', () => {
  let server: BinderCellServer;
  let repo: GitRepo;
  let ready: ReadyEvent;

  beforeAll(async () => {
    repo = await createGitRepo({ 'data.txt': 'from the checkout\n' });
    server = await startTestServer();
    ready = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('streams every phase in order and ends ready', async () => {
    const { status, events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
    expect(status).toBe(200);
    const phases = [...new Set(events.map((event) => event.phase))];
    expect(phases).toEqual(['waiting', 'resolving', 'fetching', 'building', 'launching', 'ready']);
  });

  it('resolves the ref to the full commit and gives proxy URLs', () => {
    expect(ready.ref).toBe(repo.git('rev-parse', 'main'));
    expect(ready.repo).toBe(gitSpec(repo.url, ready.ref));
    expect(ready.url).toBe(new URL(`sessions/${ready.sessionId}/`, server.url).href);
    expect(ready.wsUrl).toBe(ready.url.replace('http', 'ws'));
    expect(ready.kernel).toBe('python3');
    expect(Date.parse(ready.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('executes code through the proxy over a real WebSocket, in the checkout', async () => {
    const { kernel, dispose } = await startKernel(ready);
    try {
      const result = await execute(kernel, 'print(6 * 7)\nprint(open("data.txt").read().strip())');
      expect(result.reply.content.status).toBe('ok');
      expect(result.stdout).toBe('42\nfrom the checkout\n');
    } finally {
      dispose();
    }
  });

  it('reports a ref that does not exist as a 404', async () => {
    const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'no-such-branch') });
    expect(events.at(-1)).toMatchObject({
      phase: 'failed',
      status: 404,
      message: expect.stringContaining('ref "no-such-branch" not found'),
    });
  });

  it('reports a repository that does not exist as a 404', async () => {
    const { events } = await launch(server.url, { repo: gitSpec(`${repo.url}-missing`, 'main') });
    expect(events.at(-1)).toMatchObject({ phase: 'failed', status: 404 });
  });

  it('answers a hostile spec with HTTP 400 before any work', async () => {
    const { status, events } = await launch(server.url, {
      repo: `git/${encodeURIComponent('ext::git-upload-pack')}/main`,
    });
    expect(status).toBe(400);
    expect(events).toEqual([
      {
        phase: 'failed',
        status: 400,
        message: expect.stringContaining('unsupported repository URL scheme'),
      },
    ]);
  });

  it('answers a malformed body with HTTP 400', async () => {
    const response = await fetch(new URL('api/v1/launch', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"repo": ',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not valid JSON');
  });

  it('refuses a kernel the environment does not have with a 422', async () => {
    const { events } = await launch(server.url, {
      repo: gitSpec(repo.url, 'main'),
      kernel: 'julia-1.9',
    });
    expect(events.at(-1)).toMatchObject({
      phase: 'failed',
      status: 422,
      message: expect.stringContaining('kernel "julia-1.9" is not available'),
    });
  });

  it('ends a session on DELETE and stops its kernel server', async () => {
    const session = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
    const url = new URL(`api/v1/sessions/${session.sessionId}`, server.url);
    const auth = { authorization: `token ${session.token}` };
    const info = await fetch(url, { headers: auth });
    expect(await info.json()).toMatchObject({ sessionId: session.sessionId, kernel: 'python3' });
    const kernelServer = server.registry.get(session.sessionId)?.server;

    expect((await fetch(url, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(url, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect(server.registry.get(session.sessionId)).toBeUndefined();
    await kernelServer?.exited;
    const after = await fetch(new URL('api/status', session.url), { headers: auth });
    expect(after.status).toBe(410);
    expect(await after.json()).toEqual({
      message: 'this session has ended (deleted by its client); launch a new one',
    });
  });
});

describe('a launch stream that breaks off', () => {
  let server: BinderCellServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('resumes the same launch when the client sends its Last-Event-ID', async () => {
    const repo = await createGitRepo({ 'README.md': 'resumed\n' });
    const request = { repo: gitSpec(repo.url, 'main') };
    const controller = new AbortController();
    const first = await postLaunch(server.url, request, {}, controller.signal);
    const seen = await readUntilId(first);
    controller.abort();
    expect(seen.id).toMatch(/^[\w-]+\.\d+$/);

    const resumed = await postLaunch(server.url, request, { 'last-event-id': seen.id });
    expect(resumed.status).toBe(200);
    const events = (await readDataLines(resumed)).map(parseLaunchEvent);
    expect(events.at(0)?.phase).not.toBe('waiting');
    const last = events.at(-1);
    expect(last?.phase).toBe('ready');
    expect(server.registry.list().map((session) => session.id)).toEqual([
      last?.phase === 'ready' ? last.sessionId : '',
    ]);
  });

  it('answers 204 for an id it does not know, so the client starts anew', async () => {
    const response = await postLaunch(
      server.url,
      { repo: 'local/none' },
      { 'last-event-id': 'unknown.3' },
    );
    expect(response.status).toBe(204);
  });
});

describe('a client that goes away during a launch', () => {
  it('leaves no session behind and frees its slot', async () => {
    const repo = await createGitRepo({ 'README.md': 'abandoned\n' });
    const server = await startTestServer({
      launch: { maxPendingPerClient: 1, resumeSeconds: 0.5 },
    });
    try {
      const controller = new AbortController();
      const response = await fetch(new URL('api/v1/launch', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ repo: gitSpec(repo.url, 'main') }),
        signal: controller.signal,
      });
      const reader = response.body?.getReader();
      await reader?.read();
      controller.abort();
      for (let waited = 0; waited < 10_000; waited += 100) {
        if (server.registry.size === 0) break;
        await sleep(100);
      }
      await sleep(1500);
      expect(server.registry.size).toBe(0);
      expect(sessionProcesses()).toEqual([]);
      const next = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
      expect(next.events.at(-1)?.phase).toBe('ready');
    } finally {
      await server.close();
    }
  });
});

describe('a repository whose requirements cannot be installed', () => {
  let server: BinderCellServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('fails with 422 and the last lines of pip output, and is not cached', async () => {
    const repo = await createGitRepo({ 'requirements.txt': 'binder-cell-no-such-package==1.0\n' });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { events } = await launch(server.url, { repo: gitSpec(repo.url, 'main') });
      expect(events.some((event) => event.phase === 'building' && event.log)).toBe(true);
      const last = events.at(-1);
      expect(last).toMatchObject({ phase: 'failed', status: 422 });
      expect(last?.phase === 'failed' && last.message).toMatch(
        /pip install failed[\s\S]*binder-cell-no-such-package/,
      );
    }
  });
});

describe('idle sessions', () => {
  it('are culled after the idle timeout, with their processes', async () => {
    const repo = await createGitRepo({ 'README.md': 'idle\n' });
    const server = await startTestServer({
      sessions: { idleTimeoutSeconds: 1, cullIntervalSeconds: 0.2 },
    });
    try {
      const session = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
      const kernelServer = server.registry.get(session.sessionId)?.server;
      expect(kernelServer).toBeDefined();
      await kernelServer?.exited;
      expect(server.registry.get(session.sessionId)).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('stopping the server', () => {
  it('stops every session it started', async () => {
    const repo = await createGitRepo({ 'README.md': 'stop\n' });
    const server = await startTestServer();
    const session = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
    const { kernel, dispose } = await startKernel(session);
    const { stdout } = await execute(kernel, 'import os; print(os.getpid(), os.getppid())');
    const [kernelPid, serverPid] = stdout.trim().split(' ').map(Number) as [number, number];
    expect(isRunning(kernelPid) && isRunning(serverPid)).toBe(true);
    dispose();
    await server.close();
    expect(server.registry.size).toBe(0);
    for (let waited = 0; waited < 5000 && isRunning(kernelPid); waited += 100) await sleep(100);
    expect(isRunning(serverPid)).toBe(false);
    expect(isRunning(kernelPid)).toBe(false);
  });
});

function postLaunch(
  base: URL,
  request: LaunchRequest,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(new URL('api/v1/launch', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
    ...(signal ? { signal } : {}),
  });
}

/** Reads a launch stream until its first event with an id. */
async function readUntilId(response: Response): Promise<{ id: string }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended without an event id: ${text}`);
    text += decoder.decode(value, { stream: true });
    const id = /^id: (.+)$/m.exec(text)?.[1];
    if (id) return { id };
  }
}

/** Command lines of kernel servers started from the test data folder's sessions. */
function sessionProcesses(): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`root_dir=${TEST_DATA_DIR}/sessions/`));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

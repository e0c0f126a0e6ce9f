import type { LaunchEvent, LaunchRequest } from '@binder-cell/launch-protocol';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildFailed, startFailed } from '../backends/shared/backend-error.js';
import { createLogger } from '../logger.js';
import { SessionRegistry } from '../sessions/registry.js';
import { hashToken } from '../sessions/token.js';
import { fakeBackend } from '../test-support/fake-backend.js';
import type { FakeBackendOptions } from '../test-support/fake-backend.js';
import { fakeCommit, fakeProviders } from '../test-support/fake-providers.js';
import { tempFolder } from '../test-support/temp-folder.js';
import { BuildQueue } from './build-queue.js';
import { ClientLimiter } from './client-limiter.js';
import { Launcher } from './launcher.js';
import { LaunchShutdown } from './shutdown.js';

const PUBLIC_URL = new URL('https://binder.example.org/');

let repoDir: string;
beforeAll(async () => {
  repoDir = await tempFolder({ 'requirements.txt': 'numpy==2.4.6\n', 'notebook.ipynb': '{}' });
});

const registries: SessionRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((registry) => registry.endAll('test finished')));
});

interface Setup {
  backend?: FakeBackendOptions;
  maxSessions?: number;
  maxPendingPerClient?: number;
  resolveGate?: Promise<void>;
}

/** A launcher over fake providers and a fake backend, with the real queue, registry and limits. */
function launcherWith(setup: Setup = {}) {
  const backend = fakeBackend({ buildLog: ['Collecting numpy'], ...setup.backend });
  const logger = createLogger('silent');
  const registry = new SessionRegistry(
    { idleMs: 60_000, maxAgeMs: 3_600_000, maxSessions: setup.maxSessions ?? 8 },
    logger,
  );
  registries.push(registry);
  const launcher = new Launcher({
    providers: fakeProviders({
      github: { 'org/book': repoDir },
      ...(setup.resolveGate ? { resolveGate: setup.resolveGate } : {}),
    }),
    backend,
    builds: new BuildQueue({ concurrency: 2, timeoutMs: 60_000 }),
    registry,
    clients: new ClientLimiter(setup.maxPendingPerClient ?? 4),
    defaultKernel: 'python3',
    logger,
    shutdown: new LaunchShutdown(),
  });
  return { launcher, backend, registry };
}

/** Runs one launch to its end and returns every event it emitted. */
async function run(
  launcher: Launcher,
  request: LaunchRequest,
  signal = new AbortController().signal,
): Promise<LaunchEvent[]> {
  const events: LaunchEvent[] = [];
  await launcher
    .begin(request, 'client-a')
    .run({ publicUrl: PUBLIC_URL, signal, emit: (event) => events.push(event) });
  return events;
}

function lastOf(events: LaunchEvent[]): LaunchEvent | undefined {
  return events.at(-1);
}

describe('the launch pipeline with fake parts', () => {
  it('goes resolve, fetch, build, spawn, register, and ends ready', async () => {
    const { launcher, backend, registry } = launcherWith();
    const events = await run(launcher, { repo: 'gh/org/book/main' });
    expect([...new Set(events.map((event) => event.phase))]).toEqual([
      'waiting',
      'resolving',
      'fetching',
      'building',
      'launching',
      'ready',
    ]);
    expect(events).toContainEqual({ phase: 'building', log: 'Collecting numpy' });
    expect(events).toContainEqual({ phase: 'building', log: 'Reproducibility report' });
    const ready = lastOf(events);
    if (ready?.phase !== 'ready') throw new Error(`not ready: ${JSON.stringify(ready)}`);
    const commit = fakeCommit('main');
    expect(ready).toMatchObject({
      repo: `gh/org/book/${commit}`,
      ref: commit,
      repoUrl: 'https://github.test/org/book',
      refUrl: `https://github.test/org/book/tree/${commit}`,
      kernel: 'python3',
      url: `${PUBLIC_URL.href}sessions/${ready.sessionId}/`,
      wsUrl: `wss://binder.example.org/sessions/${ready.sessionId}/`,
      image: `fake-env:${backend.built[0] ?? ''}`,
    });
    const session = registry.get(ready.sessionId);
    expect(session?.tokenHash).toBe(hashToken(ready.token));
    expect(backend.sessions[0]?.request).toMatchObject({
      repoDir,
      session: { id: ready.sessionId, repo: ready.repo },
    });
  });

  it('reuses the environment for another commit with the same environment files', async () => {
    const { launcher, backend } = launcherWith();
    await run(launcher, { repo: 'gh/org/book/main' });
    const events = await run(launcher, { repo: 'gh/org/book/v2' });
    expect(backend.built).toHaveLength(1);
    expect(events.find((event) => event.phase === 'launching')?.message).toMatch(
      /^Reused the environment image fake-env:/,
    );
    expect(lastOf(events)?.phase).toBe('ready');
  });

  it('reports a failed build as 422 with the last lines of its output, and frees its slots', async () => {
    const { launcher, registry } = launcherWith({
      maxSessions: 1,
      maxPendingPerClient: 1,
      backend: {
        buildError: buildFailed('pip install failed (exit code 1)', ['ERROR: no numpy==9']),
      },
    });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(lastOf(await run(launcher, { repo: 'gh/org/book/main' }))).toEqual({
        phase: 'failed',
        status: 422,
        message:
          'The environment could not be built: pip install failed (exit code 1).\n' +
          'Last lines of output:\nERROR: no numpy==9',
      });
    }
    expect(registry.size).toBe(0);
  });

  it('sends build log lines and failure tails without terminal colour codes', async () => {
    const red = (text: string) => [...text].map((char) => `\u001b[31m${char}\u001b[0m`).join('');
    const { launcher } = launcherWith({
      backend: {
        buildLog: [red('Downloading micromamba'), '\u001b[1mCollecting\u001b[22m numpy'],
        buildError: buildFailed('the environment image failed', [red('curl: (6) no host')]),
      },
    });
    const events = await run(launcher, { repo: 'gh/org/book/main' });
    const logs = events.flatMap((event) => ('log' in event && event.log ? [event.log] : []));
    expect(logs).toEqual(expect.arrayContaining(['Downloading micromamba', 'Collecting numpy']));
    expect(lastOf(events)).toMatchObject({
      status: 422,
      message: expect.stringMatching(/Last lines of output:\ncurl: \(6\) no host$/),
    });
    expect(JSON.stringify(events)).not.toContain('\\u001b');
  });

  it('reports a session that did not start as 500 with its last lines', async () => {
    const { launcher } = launcherWith({
      backend: { spawnError: startFailed('the kernel server exited while starting', ['boom']) },
    });
    expect(lastOf(await run(launcher, { repo: 'gh/org/book/main' }))).toEqual({
      phase: 'failed',
      status: 500,
      message:
        'The session could not be started: the kernel server exited while starting.\n' +
        'Last lines of output:\nboom',
    });
  });

  it('refuses a kernel the environment lacks with 422 and stops the server it started', async () => {
    const { launcher, backend, registry } = launcherWith({ backend: { kernels: ['python3'] } });
    const events = await run(launcher, { repo: 'gh/org/book/main', kernel: 'ir' });
    expect(lastOf(events)).toMatchObject({
      phase: 'failed',
      status: 422,
      message: 'kernel "ir" is not available in this environment (available: python3)',
    });
    await backend.sessions[0]?.jupyter.closed;
    expect(registry.size).toBe(0);
  });

  it('answers a missing ref with 404', async () => {
    const { launcher } = launcherWith();
    expect(lastOf(await run(launcher, { repo: 'gh/org/book/missing' }))).toMatchObject({
      phase: 'failed',
      status: 404,
    });
  });

  it('refuses bad requests before any work: spec, kernel name, ref given twice', () => {
    const { launcher } = launcherWith();
    const begin = (request: LaunchRequest) => () => launcher.begin(request, 'client-a');
    expect(begin({ repo: 'zenodo/10.5281/zenodo.1' })).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringContaining('zenodo') }),
    );
    expect(begin({ repo: 'gh/-org/book' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(begin({ repo: 'gh/org/book/main', kernel: '../python3' })).toThrow(
      expect.objectContaining({ status: 400, message: 'invalid kernel name "../python3"' }),
    );
    expect(begin({ repo: 'gh/org/book/main', ref: 'dev' })).toThrow(/given twice/);
  });

  it('caps launches per client (429) and sessions per server (503) until they end', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { launcher } = launcherWith({ maxPendingPerClient: 1, resolveGate: gate });
    const first = launcher.begin({ repo: 'gh/org/book/main' }, 'client-a');
    expect(() => launcher.begin({ repo: 'gh/org/book/main' }, 'client-a')).toThrow(
      expect.objectContaining({ status: 429 }),
    );
    const running = first.run({
      publicUrl: PUBLIC_URL,
      signal: new AbortController().signal,
      emit: () => undefined,
    });
    open();
    await running;
    expect(() => launcher.begin({ repo: 'gh/org/book/main' }, 'client-a')).not.toThrow();

    const full = launcherWith({ maxSessions: 1 });
    await run(full.launcher, { repo: 'gh/org/book/main' });
    expect(() => full.launcher.begin({ repo: 'gh/org/book/main' }, 'client-b')).toThrow(
      expect.objectContaining({ status: 503 }),
    );
  });

  it('launches an allowed image without a build, and refuses others', async () => {
    const image = { id: 'sha256:0123', name: 'org/notebook:1' };
    const { launcher, backend } = launcherWith({
      backend: { images: { 'org/notebook:1': image, 'org/notebook:gone': undefined } },
    });
    const events = await run(launcher, { image: 'org/notebook:1' });
    expect(events.map((event) => event.phase)).toEqual(['waiting', 'launching', 'ready']);
    expect(lastOf(events)).toMatchObject({
      repo: 'image/org/notebook:1',
      ref: 'sha256:0123',
      image: 'org/notebook:1',
    });
    expect(backend.built).toEqual([]);
    expect(backend.sessions[0]?.request?.repoDir).toBeUndefined();
    expect(lastOf(await run(launcher, { image: 'other:1' }))).toMatchObject({ status: 403 });
    expect(lastOf(await run(launcher, { image: 'org/notebook:gone' }))).toMatchObject({
      status: 404,
    });
  });

  it('ends an abandoned launch without a session', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { launcher, backend, registry } = launcherWith({ backend: { buildGate: gate } });
    const abandoned = new AbortController();
    const events: LaunchEvent[] = [];
    const running = launcher.begin({ repo: 'gh/org/book/main' }, 'client-a').run({
      publicUrl: PUBLIC_URL,
      signal: abandoned.signal,
      emit: (event) => {
        events.push(event);
        if ('log' in event && event.log === 'Collecting numpy')
          abandoned.abort(new Error('the client went away'));
      },
    });
    await running;
    open();
    expect(lastOf(events)).toEqual({
      phase: 'failed',
      status: 500,
      message: 'The launch was abandoned.',
    });
    expect(backend.sessions).toEqual([]);
    expect(registry.size).toBe(0);
  });
});

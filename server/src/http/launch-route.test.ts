import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { LaunchRequest } from '@binder-cell/launch-protocol';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INTERRUPTED_BY_RESTART } from '../launch/shutdown.js';
import { startTestApp } from '../test-support/app.js';
import type { TestApp } from '../test-support/app.js';
import { fakeBackend } from '../test-support/fake-backend.js';
import type { FakeBackend, FakeSession } from '../test-support/fake-backend.js';
import { fakeProviders } from '../test-support/fake-providers.js';
import { launch, readDataLines } from '../test-support/launch-client.js';
import { tempFolder } from '../test-support/temp-folder.js';

let repoDir: string;
let app: TestApp | undefined;
beforeAll(async () => {
  repoDir = await tempFolder({ 'README.md': 'book\n' });
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(parts: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  app = await startTestApp({
    providers: fakeProviders({ github: { 'org/book': repoDir } }),
    ...parts,
  });
  return app;
}

function post(
  base: URL,
  body: string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(new URL('api/v1/launch', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(signal ? { signal } : {}),
  });
}

/** Every event of a stream with its id. */
async function eventsWithIds(response: Response): Promise<{ id: string; phase: string }[]> {
  const blocks = (await response.text()).split('\n\n').filter((block) => block.includes('data:'));
  return blocks.map((block) => ({
    id: /^id: (.*)$/m.exec(block)?.[1] ?? '',
    phase: parseLaunchEvent(/^data: (.*)$/m.exec(block)?.[1] ?? '').phase,
  }));
}

describe('POST /api/v1/launch', () => {
  it('streams the launch as server-sent events with ids, ending ready', async () => {
    const { url, app: started } = await start();
    const response = await post(url, JSON.stringify({ repo: 'gh/org/book/main' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const events = await eventsWithIds(response);
    expect(events.at(-1)?.phase).toBe('ready');
    events.forEach((event, index) => expect(event.id).toMatch(new RegExp(`^[\\w-]+\\.${index}$`)));
    expect(started.registry.size).toBe(1);
  });

  it.each<[string, string, number, string]>([
    ['a body that is not JSON', '{"repo": ', 400, 'not valid JSON'],
    ['an unknown field', '{"repo":"gh/org/book","colour":"red"}', 400, 'unknown fields: colour'],
    ['a spec outside the grammar', '{"repo":"nope/x"}', 400, 'unknown repository provider'],
    ['a repository the providers do not know', '{"repo":"gh/org/other"}', 404, 'no repository'],
  ])('answers %s with its status and one failed event', async (_what, body, status, text) => {
    const { url } = await start();
    const response = await post(url, body);
    expect(response.status).toBe(status);
    const events = (await readDataLines(response)).map(parseLaunchEvent);
    expect(events).toEqual([{ phase: 'failed', status, message: expect.stringContaining(text) }]);
  });

  it('refuses pages from origins it does not allow (403), and allows the configured ones', async () => {
    const { url } = await start({ config: { allowOrigins: ['https://book.example.org'] } });
    const body = JSON.stringify({ repo: 'gh/org/book/main' });
    const refused = await post(url, body, { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('may not launch sessions');
    const allowed = await post(url, body, { origin: 'https://book.example.org' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://book.example.org');
    expect((await eventsWithIds(allowed)).at(-1)?.phase).toBe('ready');
  });

  it('resumes a launch from Last-Event-ID, and answers 204 when nothing is left', async () => {
    const { url, app: started } = await start();
    const body = JSON.stringify({ repo: 'gh/org/book/main' });
    const first = await eventsWithIds(await post(url, body));
    const resumed = await eventsWithIds(
      await post(url, body, { 'last-event-id': first[1]?.id ?? '' }),
    );
    expect(resumed.map((event) => event.id)).toEqual(first.slice(2).map((event) => event.id));
    expect(started.registry.size).toBe(1);
    const done = await post(url, body, { 'last-event-id': first.at(-1)?.id ?? '' });
    expect(done.status).toBe(204);
    expect((await post(url, body, { 'last-event-id': 'unknown.3' })).status).toBe(204);
  });

  it('tells a client resuming a launch of an earlier run of the server that it was stopped', async () => {
    const { url } = await start();
    const body = JSON.stringify({ repo: 'gh/org/book/main' });
    const resumed = await post(url, body, { 'last-event-id': '0123456789ab-AbCd_-x.4' });
    expect(resumed.status).toBe(503);
    const [data] = await readDataLines(resumed);
    expect(parseLaunchEvent(data ?? '')).toEqual({
      phase: 'failed',
      status: 503,
      message: INTERRUPTED_BY_RESTART,
    });
  });

  it('abandons a launch whose client went away: it frees its slot and starts no session', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const backend = fakeBackend({ buildGate: gate, buildLog: ['Collecting numpy'] });
    const { url } = await start({
      backend,
      config: { launch: { maxPendingPerClient: 1, resumeSeconds: 0.05 } },
    });
    const request: LaunchRequest = { repo: 'gh/org/book/main' };
    const leaving = new AbortController();
    const response = await post(url, JSON.stringify(request), {}, leaving.signal);
    await response.body?.getReader().read();
    leaving.abort();

    // An image launch takes the client's slot first and fails fast (403) once it has it.
    await untilSlotFree(url);
    open();
    expect((await launch(url, request)).events.at(-1)?.phase).toBe('ready');
    expect(backend.sessions).toHaveLength(1);
  });

  it('ends a session whose ready event reached nobody', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const backend = fakeBackend({ buildGate: gate });
    const { url, app: started } = await start({
      backend,
      config: { launch: { resumeSeconds: 2 } },
    });
    const leaving = new AbortController();
    const response = await post(
      url,
      JSON.stringify({ repo: 'gh/org/book/main' }),
      {},
      leaving.signal,
    );
    await response.body?.getReader().read();
    leaving.abort();
    open();
    const session = await untilSpawned(backend);
    await session.jupyter.closed;
    expect(started.registry.size).toBe(0);
  });
});

/** The first session the backend starts. */
async function untilSpawned(backend: FakeBackend): Promise<FakeSession> {
  for (;;) {
    const [first] = backend.sessions;
    if (first) return first;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until this client may launch again (no 429). */
async function untilSlotFree(url: URL): Promise<void> {
  for (;;) {
    const { status } = await launch(url, { image: 'not-allowed:1' });
    if (status !== 429) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import type { GitRepo } from '../test-support/git-repo.js';
import { execute, startKernel } from '../test-support/kernel-client.js';
import { startTestServer } from '../test-support/server.js';

interface RawEvent {
  id?: string;
  data: Record<string, unknown>;
}

/** Splits an event-stream body into events (id + parsed data) and counts keepalive comments. */
function parseStream(text: string): { events: RawEvent[]; keepalives: number } {
  const events: RawEvent[] = [];
  let keepalives = 0;
  for (const block of text.split('\n\n')) {
    if (block === ':keepalive') keepalives += 1;
    const id = /^id: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (data) events.push({ id, data: JSON.parse(data) as Record<string, unknown> });
  }
  return { events, keepalives };
}

describe('BinderHub-compatible /build', () => {
  let server: BinderCellServer;
  let repo: GitRepo;
  const sse = { accept: 'text/event-stream' };

  beforeAll(async () => {
    repo = await createGitRepo({ 'README.md': 'binderhub\n' });
    server = await startTestServer({ launch: { keepaliveSeconds: 0.2, binderHoldSeconds: 0.6 } });
  });
  afterAll(() => server?.close());

  const buildUrl = (spec: string) => new URL(`build/${spec}`, server.url);

  it('requires Accept: text/event-stream', async () => {
    const response = await fetch(buildUrl(gitSpec(repo.url, 'main')));
    expect(response.status).toBe(406);
  });

  it("streams BinderHub's phases and ready fields, and the kernel works", async () => {
    const response = await fetch(buildUrl(gitSpec(repo.url, 'main')), { headers: sse });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { events, keepalives } = parseStream(await response.text());
    const phases = events.map((event) => event.data.phase);
    expect(phases[0]).toBe('waiting');
    expect(phases).toContain('fetching');
    expect(phases.slice(-3)).toEqual(['built', 'launching', 'ready']);
    expect(keepalives).toBeGreaterThan(0);
    for (const event of events) expect(event.data.message).toMatch(/\n$/);
    for (const event of events) expect(event.id).toMatch(/^[\w-]+\.\d+$/);

    const commit = repo.git('rev-parse', 'main');
    const ready = events.at(-1)?.data ?? {};
    expect(ready).toMatchObject({
      url: expect.stringMatching(new RegExp(`^${server.url.href}sessions/[0-9a-f-]{36}/$`)),
      token: expect.any(String),
      image: expect.stringMatching(/^venv:/),
      repo_url: repo.url,
      binder_ref_url: repo.url,
      binder_launch_host: server.url.href,
      binder_request: `v2/${gitSpec(repo.url, 'main')}`,
      binder_persistent_request: `v2/${gitSpec(repo.url, commit)}`,
    });
    expect(events.find((event) => event.data.phase === 'built')?.data.imageName).toBe(ready.image);

    const url = ready.url as string;
    const { kernel, dispose } = await startKernel({
      url,
      wsUrl: url.replace('http', 'ws'),
      token: ready.token as string,
      kernel: 'python3',
    });
    try {
      expect((await execute(kernel, 'print("hub")')).stdout).toBe('hub\n');
    } finally {
      dispose();
    }
  });

  it('resumes the same launch when an EventSource reconnects, never launching twice', async () => {
    const first = parseStream(
      await (await fetch(buildUrl(gitSpec(repo.url, 'main')), { headers: sse })).text(),
    );
    const sessions = server.registry.size;
    const [, second] = first.events;
    const resumed = parseStream(
      await (
        await fetch(buildUrl(gitSpec(repo.url, 'main')), {
          headers: { ...sse, 'last-event-id': second?.id ?? '' },
        })
      ).text(),
    );
    expect(resumed.events.map((event) => event.id)).toEqual(
      first.events.slice(2).map((event) => event.id),
    );
    expect(resumed.events.at(-1)?.data.url).toBe(first.events.at(-1)?.data.url);

    const done = await fetch(buildUrl(gitSpec(repo.url, 'main')), {
      headers: { ...sse, 'last-event-id': first.events.at(-1)?.id ?? '' },
    });
    expect(done.status).toBe(204);
    const unknown = await fetch(buildUrl(gitSpec(repo.url, 'main')), {
      headers: { ...sse, 'last-event-id': 'forgotten.3' },
    });
    expect(unknown.status).toBe(204);
    expect(server.registry.size).toBe(sessions);
  });

  it('reports bad specs as a failed event with status_code', async () => {
    const response = await fetch(buildUrl('nope/whatever'), { headers: sse });
    const { events } = parseStream(await response.text());
    expect(events.map((event) => event.data)).toEqual([
      {
        phase: 'failed',
        status_code: 400,
        message: expect.stringContaining('unknown repository provider'),
      },
    ]);
  });
});

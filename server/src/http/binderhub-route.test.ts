import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../test-support/app.js';
import type { TestApp } from '../test-support/app.js';
import { fakeCommit, fakeProviders } from '../test-support/fake-providers.js';
import { tempFolder } from '../test-support/temp-folder.js';

interface RawEvent {
  id: string | undefined;
  data: Record<string, unknown>;
}

function parseStream(text: string): RawEvent[] {
  return text
    .split('\n\n')
    .filter((block) => /^data: /m.test(block))
    .map((block) => ({
      id: /^id: (.*)$/m.exec(block)?.[1],
      data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>,
    }));
}

describe('GET /build/<provider>/<spec> with fake parts', () => {
  let app: TestApp;
  const sse = { accept: 'text/event-stream' };

  beforeAll(async () => {
    const repoDir = await tempFolder({ 'README.md': 'hub\n' });
    app = await startTestApp({
      providers: fakeProviders({ github: { 'org/book': repoDir } }),
      config: { launch: { binderHoldSeconds: 0 } },
    });
  });
  afterAll(() => app?.close());

  const build = (spec: string, headers: Record<string, string> = sse) =>
    fetch(new URL(`build/${spec}`, app.url), { headers });

  it('needs Accept: text/event-stream', async () => {
    expect((await build('gh/org/book/main', {})).status).toBe(406);
  });

  it("speaks BinderHub's phases and ready fields", async () => {
    const events = parseStream(await (await build('gh/org/book/main')).text());
    const phases = events.map((event) => event.data.phase);
    expect(phases[0]).toBe('waiting');
    expect(phases).toContain('fetching');
    expect(phases).not.toContain('resolving');
    expect(phases.slice(-3)).toEqual(['built', 'launching', 'ready']);
    for (const event of events) expect(event.data.message).toMatch(/\n$/);
    const commit = fakeCommit('main');
    expect(events.at(-1)?.data).toMatchObject({
      url: expect.stringMatching(new RegExp(`^${app.url.href}sessions/[0-9a-f-]{36}/$`)),
      token: expect.any(String),
      repo_url: 'https://github.test/org/book',
      binder_ref_url: `https://github.test/org/book/tree/${commit}`,
      binder_launch_host: app.url.href,
      binder_request: 'v2/gh/org/book/main',
      binder_persistent_request: `v2/gh/org/book/${commit}`,
    });
  });

  it('reports a bad spec as failed with status_code', async () => {
    const events = parseStream(await (await build('nope/whatever')).text());
    expect(events.map((event) => event.data)).toEqual([
      {
        phase: 'failed',
        status_code: 400,
        message: expect.stringContaining('unknown repository provider'),
      },
    ]);
  });

  it('resumes when an EventSource reconnects, and sends 204 once it has everything', async () => {
    const first = parseStream(await (await build('gh/org/book/main')).text());
    const sessions = app.app.registry.size;
    const resumed = parseStream(
      await (
        await build('gh/org/book/main', { ...sse, 'last-event-id': first[1]?.id ?? '' })
      ).text(),
    );
    expect(resumed.map((event) => event.id)).toEqual(first.slice(2).map((event) => event.id));
    expect(app.app.registry.size).toBe(sessions);
    const done = await build('gh/org/book/main', {
      ...sse,
      'last-event-id': first.at(-1)?.id ?? '',
    });
    expect(done.status).toBe(204);
  });
});

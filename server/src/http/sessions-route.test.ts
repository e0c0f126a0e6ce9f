import type { ReadyEvent, SessionInfo } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../test-support/app.js';
import type { TestApp } from '../test-support/app.js';
import { fakeProviders } from '../test-support/fake-providers.js';
import { launchReady } from '../test-support/launch-client.js';
import { tempFolder } from '../test-support/temp-folder.js';

describe('GET and DELETE /api/v1/sessions/<id> with fake parts', () => {
  let app: TestApp;
  let ready: ReadyEvent;

  beforeAll(async () => {
    const repoDir = await tempFolder({ 'README.md': 'sessions\n' });
    app = await startTestApp({ providers: fakeProviders({ github: { 'org/book': repoDir } }) });
    ready = await launchReady(app.url, { repo: 'gh/org/book/main' });
  });
  afterAll(() => app?.close());

  const call = (method: string, headers: Record<string, string> = {}, id = ready.sessionId) =>
    fetch(new URL(`api/v1/sessions/${id}`, app.url), { method, headers });
  const auth = () => ({ authorization: `token ${ready.token}` });

  it('describes a session to whoever has its token', async () => {
    expect((await call('GET')).status).toBe(401);
    expect((await call('GET', { authorization: 'token wrong' })).status).toBe(403);
    const response = await call('GET', auth());
    expect(response.status).toBe(200);
    const info = (await response.json()) as SessionInfo;
    expect(info).toEqual({
      sessionId: ready.sessionId,
      url: ready.url,
      wsUrl: ready.wsUrl,
      kernel: 'python3',
      repo: ready.repo,
      ref: ready.ref,
      image: ready.image,
      createdAt: expect.stringMatching(/Z$/),
      expiresAt: expect.stringMatching(/Z$/),
    });
  });

  it('ends a session on DELETE with its token, stopping its kernel server', async () => {
    expect((await call('DELETE')).status).toBe(401);
    const [spawned] = app.backend.sessions;
    expect((await call('DELETE', auth())).status).toBe(204);
    await spawned?.jupyter.closed;
    expect(app.app.registry.get(ready.sessionId)).toBeUndefined();
    const after = await call('GET', auth());
    expect(after.status).toBe(410);
    expect(await after.json()).toEqual({
      message: 'this session has ended (deleted by its client); launch a new one',
    });
  });
});

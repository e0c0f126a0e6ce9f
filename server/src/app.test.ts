import { describe, expect, it } from 'vitest';
import { startTestApp } from './test-support/app.js';
import { fakeBackend } from './test-support/fake-backend.js';
import { fakeProviders } from './test-support/fake-providers.js';
import { launchReady } from './test-support/launch-client.js';
import { tempFolder } from './test-support/temp-folder.js';

async function appWithOneSession(persistent: boolean) {
  const repoDir = await tempFolder({ 'README.md': 'close\n' });
  const backend = fakeBackend({ persistent });
  const app = await startTestApp({
    backend,
    providers: fakeProviders({ github: { 'org/book': repoDir } }),
  });
  await launchReady(app.url, { repo: 'gh/org/book/main' });
  const [session] = backend.sessions;
  if (!session) throw new Error('no session was spawned');
  return { app, session };
}

describe('closing the app', () => {
  it('ends the sessions of a backend whose sessions end with the server', async () => {
    const { app, session } = await appWithOneSession(false);
    await app.close();
    await session.jupyter.closed;
    expect(app.app.registry.size).toBe(0);
  });

  it('leaves running, untracked, the sessions of a backend whose sessions outlive it', async () => {
    const { app, session } = await appWithOneSession(true);
    await app.close();
    expect(app.app.registry.size).toBe(0);
    expect(
      (
        await fetch(new URL('api/status', session.jupyter.url), {
          headers: { authorization: `token ${session.jupyter.token}` },
        })
      ).status,
    ).toBe(200);
    await session.jupyter.close();
  });
});

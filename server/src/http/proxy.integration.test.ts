import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BinderCellServer } from '../server.js';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { launchReady } from '../test-support/launch-client.js';
import { startTestServer } from '../test-support/server.js';

/** Opens a WebSocket and resolves with the HTTP status of a refused handshake, or 101. */
function upgradeStatus(url: string, options: WebSocket.ClientOptions = {}, protocols?: string[]) {
  return new Promise<{ status: number; protocol?: string }>((resolve, reject) => {
    const socket = new WebSocket(url, protocols, options);
    socket.on('open', () => {
      resolve({ status: 101, protocol: socket.protocol });
      socket.close();
    });
    socket.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.on('error', reject);
  });
}

describe('the session proxy', () => {
  let server: BinderCellServer;
  let ready: ReadyEvent;
  let kernelId: string;

  beforeAll(async () => {
    const repo = await createGitRepo({ 'README.md': 'proxy\n' });
    server = await startTestServer();
    ready = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
    const response = await fetch(new URL('api/kernels', ready.url), {
      method: 'POST',
      headers: { authorization: `token ${ready.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'python3' }),
    });
    kernelId = ((await response.json()) as { id: string }).id;
  });
  afterAll(() => server?.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, ready.url), { headers });
  const auth = () => ({ authorization: `token ${ready.token}` });

  it('asks for the session token', async () => {
    expect((await get('api/kernels')).status).toBe(401);
    expect((await get('api/kernels', { authorization: 'token wrong' })).status).toBe(403);
    expect((await get('api/kernels', auth())).status).toBe(200);
    expect((await get(`api/kernels?token=${ready.token}`)).status).toBe(200);
  });

  it('passes only the kernel API', async () => {
    for (const path of [
      'api/status',
      'api/kernelspecs',
      'api/sessions',
      `api/kernels/${kernelId}`,
    ]) {
      expect((await get(path, auth())).status, path).toBe(200);
    }
    for (const path of [
      'api/contents',
      'api/terminals',
      'tree',
      'lab',
      'api/kernels/../contents',
      'api/kernels/%2e%2e/contents',
      'api/kernels%2F..%2Fcontents',
      'files/README.md',
    ]) {
      expect((await get(path, auth())).status, path).toBe(404);
    }
  });

  it("passes the session's BokehJS index, which says when bokeh is not installed", async () => {
    expect((await get('binder-cell/bokehjs')).status).toBe(401);
    const response = await get('binder-cell/bokehjs', auth());
    // This session's environment has no bokeh: the answer comes from its server extension.
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      message: "bokeh is not installed in the session's environment",
    });
    expect((await get('binder-cell/bokehjs/bokeh.min.js', auth())).status).toBe(404);
  });

  it('answers 404 for sessions that do not exist', async () => {
    const response = await fetch(
      new URL('sessions/00000000-0000-4000-8000-000000000000/api/status', server.url),
      { headers: auth() },
    );
    expect(response.status).toBe(404);
  });

  it("never shows the kernel server's own token", async () => {
    const internal = server.registry.get(ready.sessionId)?.server.token ?? '';
    expect(internal).not.toBe('');
    expect(JSON.stringify(ready)).not.toContain(internal);
    for (const path of ['api/status', 'api/kernels', 'api/sessions', 'api/kernelspecs']) {
      const response = await get(path, auth());
      expect(await response.text()).not.toContain(internal);
      expect(JSON.stringify([...response.headers])).not.toContain(internal);
    }
  });

  it('checks the token and origin of WebSockets and passes the subprotocol through', async () => {
    const channels = `${ready.wsUrl}api/kernels/${kernelId}/channels`;
    expect((await upgradeStatus(channels)).status).toBe(401);
    expect((await upgradeStatus(`${channels}?token=wrong`)).status).toBe(403);
    expect((await upgradeStatus(`${ready.wsUrl}api/contents?token=${ready.token}`)).status).toBe(
      404,
    );
    expect(
      (await upgradeStatus(`${channels}?token=${ready.token}`, { origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
    const opened = await upgradeStatus(
      `${channels}?token=${ready.token}`,
      { origin: 'http://localhost:4000' },
      ['v1.kernel.websocket.jupyter.org'],
    );
    expect(opened).toEqual({ status: 101, protocol: 'v1.kernel.websocket.jupyter.org' });
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(new URL('api/kernels', ready.url), {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("ends the session on Jupyter's POST api/shutdown, with its token only", async () => {
    const other = await launchReady(server.url, { repo: ready.repo });
    const shutdown = (headers: Record<string, string>, method = 'POST') =>
      fetch(new URL('api/shutdown', other.url), { method, headers });
    expect((await shutdown({})).status).toBe(401);
    expect((await shutdown({ authorization: `token ${other.token}` }, 'GET')).status).toBe(405);
    expect(server.registry.get(other.sessionId)).toBeDefined();
    expect((await shutdown({ authorization: `token ${other.token}` })).status).toBe(200);
    expect(server.registry.get(other.sessionId)).toBeUndefined();
    expect((await get('api/status', auth())).status, 'other sessions go on').toBe(200);
  });
});

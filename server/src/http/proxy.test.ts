import { once } from 'node:events';
import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp } from '../test-support/app.js';
import type { TestApp } from '../test-support/app.js';
import { fakeBackend } from '../test-support/fake-backend.js';
import type { FakeJupyter } from '../test-support/fake-jupyter.js';
import { fakeProviders } from '../test-support/fake-providers.js';
import { launchReady } from '../test-support/launch-client.js';
import { captureLogs } from '../test-support/log-capture.js';
import { tempFolder } from '../test-support/temp-folder.js';

/** Opens a WebSocket: the refused handshake's status, or 101 with the protocol and an echo. */
function connect(url: string, options: WebSocket.ClientOptions = {}, protocols?: string[]) {
  return new Promise<{ status: number; protocol?: string; echo?: string }>((resolve, reject) => {
    const socket = new WebSocket(url, protocols, options);
    socket.on('open', () => socket.send('ping'));
    socket.on('message', (data: Buffer) => {
      resolve({ status: 101, protocol: socket.protocol, echo: data.toString() });
      socket.close();
    });
    socket.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.on('error', reject);
  });
}

describe('the session proxy with a fake kernel server', () => {
  let app: TestApp;
  let ready: ReadyEvent;
  let jupyter: FakeJupyter;

  beforeAll(async () => {
    const repoDir = await tempFolder({ 'README.md': 'proxy\n' });
    app = await startTestApp({ providers: fakeProviders({ github: { 'org/book': repoDir } }) });
    ready = await launchReady(app.url, { repo: 'gh/org/book/main' });
    const [spawned] = app.backend.sessions;
    if (!spawned) throw new Error('no session was spawned');
    jupyter = spawned.jupyter;
  });
  afterAll(() => app?.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, ready.url), { headers });
  const auth = () => ({ authorization: `token ${ready.token}` });
  const lastRequest = () => jupyter.requests.at(-1);

  it('swaps the session token for the internal one and drops cookies', async () => {
    const response = await get('api/kernels?token=' + ready.token + '&x=1', {
      cookie: 'session=secret',
    });
    expect(await response.json()).toEqual({ method: 'GET', url: '/api/kernels?x=1' });
    expect(lastRequest()).toEqual({
      method: 'GET',
      url: '/api/kernels?x=1',
      authorization: `token ${jupyter.token}`,
    });
    expect(jupyter.token).not.toBe(ready.token);
  });

  it('asks for the session token before anything reaches the kernel server', async () => {
    const seen = jupyter.requests.length;
    expect((await get('api/kernels')).status).toBe(401);
    expect((await get('api/kernels', { authorization: 'token wrong' })).status).toBe(403);
    expect((await get('api/contents', auth())).status).toBe(404);
    expect((await get('api/kernels/%2e%2e/contents', auth())).status).toBe(404);
    expect(jupyter.requests.length).toBe(seen);
  });

  it('counts traffic as activity', async () => {
    const session = app.app.registry.get(ready.sessionId);
    if (!session) throw new Error('no session');
    session.lastActivity = 0;
    await get('api/status', auth());
    expect(session.lastActivity).toBeGreaterThan(0);
  });

  it('checks WebSockets for token and origin, and passes the subprotocol and frames', async () => {
    const channels = `${ready.wsUrl}api/kernels/k/channels`;
    expect((await connect(channels)).status).toBe(401);
    expect(
      (await connect(`${channels}?token=${ready.token}`, { origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
    expect((await connect(`${ready.wsUrl}api/contents?token=${ready.token}`)).status).toBe(404);
    expect(
      await connect(`${channels}?token=${ready.token}`, { origin: 'http://localhost:4000' }, [
        'v1.kernel.websocket.jupyter.org',
      ]),
    ).toEqual({ status: 101, protocol: 'v1.kernel.websocket.jupyter.org', echo: 'ping' });
  });

  it("ends the session on Jupyter's POST api/shutdown, with its token only", async () => {
    const other = await launchReady(app.url, { repo: 'gh/org/book/main' });
    const shutdown = (headers: Record<string, string>, method = 'POST') =>
      fetch(new URL('api/shutdown', other.url), { method, headers });
    const auth2 = { authorization: `token ${other.token}` };
    expect((await shutdown({})).status).toBe(401);
    expect((await shutdown(auth2, 'GET')).status).toBe(405);
    expect((await shutdown(auth2)).status).toBe(200);
    expect(app.app.registry.get(other.sessionId)).toBeUndefined();
    await app.backend.sessions[1]?.jupyter.closed;
    expect((await get('api/status', auth())).status, 'other sessions go on').toBe(200);
  });
});

describe('a stopping server whose sessions outlive it', () => {
  it('cuts the WebSockets it proxies, so it can stop, and leaves the sessions running', async () => {
    const repoDir = await tempFolder({ 'README.md': 'kept\n' });
    const app = await startTestApp({
      backend: fakeBackend({ persistent: true }),
      providers: fakeProviders({ github: { 'org/book': repoDir } }),
    });
    const ready = await launchReady(app.url, { repo: 'gh/org/book/main' });
    const socket = new WebSocket(`${ready.wsUrl}api/kernels/k/channels?token=${ready.token}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const cut = new Promise((resolve) => socket.once('close', resolve));
    await app.close();
    await cut;
    const [kept] = app.backend.sessions;
    if (!kept) throw new Error('no session was spawned');
    const status = await fetch(new URL('api/status', kept.jupyter.url), {
      headers: { authorization: `token ${kept.jupyter.token}` },
    });
    expect(status.status).toBe(200);
    await kept.jupyter.close();
  });
});

/** Sends a kernel WebSocket's upgrade request through the proxy on a raw TCP socket. */
async function upgradeRequest(ready: ReadyEvent): Promise<Socket> {
  const url = new URL(`api/kernels/k/channels?token=${ready.token}`, ready.wsUrl);
  const socket = connectTcp(Number(url.port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
      'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  return socket;
}

describe('a reader cutting a proxied WebSocket', () => {
  const logs = captureLogs('debug');
  let app: TestApp;
  let ready: ReadyEvent;

  beforeAll(async () => {
    const repoDir = await tempFolder({ 'README.md': 'proxy\n' });
    app = await startTestApp({
      providers: fakeProviders({ github: { 'org/book': repoDir } }),
      logger: logs.logger,
    });
    ready = await launchReady(app.url, { repo: 'gh/org/book/main' });
  });
  afterAll(() => app?.close());

  it('after the proxy refused the upgrade, leaves the server serving', async () => {
    const socket = await upgradeRequest({ ...ready, token: 'not-the-token' });
    const [answer] = (await once(socket, 'data')) as [Buffer];
    expect(answer.toString()).toMatch(/^HTTP\/1\.1 403/);
    socket.resetAndDestroy();
    await sleep(200);
    expect((await fetch(new URL('health', app.url))).status).toBe(200);
  });

  it('before the kernel server answered the upgrade, leaves the server serving', async () => {
    const [spawned] = app.backend.sessions;
    if (!spawned) throw new Error('no session was spawned');
    spawned.jupyter.holdUpgrades = true;
    try {
      const socket = await upgradeRequest(ready);
      for (let waited = 0; spawned.jupyter.heldUpgrades.length === 0; waited += 20) {
        if (waited > 5000) throw new Error('the upgrade never reached the kernel server');
        await sleep(20);
      }
      socket.resetAndDestroy();
      await sleep(200);
      expect((await fetch(new URL('health', app.url))).status).toBe(200);
    } finally {
      spawned.jupyter.holdUpgrades = false;
    }
  });

  it('is logged at debug with its session, not as a proxy fault', async () => {
    const socket = await upgradeRequest(ready);
    const [answer] = (await once(socket, 'data')) as [Buffer];
    expect(answer.toString()).toMatch(/^HTTP\/1\.1 101/);
    socket.resetAndDestroy();

    const cut = () => logs.records().find((line) => line.msg === 'proxied connection cut');
    for (let waited = 0; !cut() && waited < 5000; waited += 50) await sleep(50);
    expect(cut()).toMatchObject({ level: 20, sessionId: ready.sessionId, code: 'ECONNRESET' });
    expect(logs.records().filter((line) => line.msg === 'proxy error')).toEqual([]);
  });
});

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseLaunchEvent } from '@binder-cell/launch-protocol';
import type { LaunchEvent, LaunchRequest, ReadyEvent } from '@binder-cell/launch-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../config.js';
import { GitProvider } from '../repo/git.js';
import { GitRemotes } from '../repo/git-remotes.js';
import { startTestApp } from '../test-support/app.js';
import type { TestApp } from '../test-support/app.js';
import { fakeProviders } from '../test-support/fake-providers.js';
import { readDataLines } from '../test-support/launch-client.js';
import { tempFolder } from '../test-support/temp-folder.js';
import { AddressGuard } from './address-guard.js';

/**
 * Requests meant to get past admission, each answered with a 4xx, against the real app
 * over fakes; after each group the server still launches a session.
 */

const KEY = 'corpus-key-0123456789';

/** Host names this test's resolver knows; DNS is never asked. */
const RESOLVER: Record<string, string[]> = {
  'metadata.test': ['169.254.169.254'],
  'rebound.test': ['93.184.216.34', '127.0.0.1'],
  'intranet.test': ['10.0.0.8'],
  'v6-private.test': ['fd00::8'],
  'public.test': ['93.184.216.34'],
};

interface Tripwire {
  /** Requests git sent anywhere (every connection goes through this proxy). */
  seen: string[];
  close(): Promise<void>;
}

/**
 * Points git's proxy variables at a local server that records and refuses every request,
 * so no packet reaches the address a git URL names even if the guard failed.
 */
async function startTripwire(): Promise<Tripwire> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.writeHead(404).end();
  });
  server.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url ?? ''}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const saved = { ...process.env };
  Object.assign(process.env, { http_proxy: proxy, https_proxy: proxy, ALL_PROXY: proxy });
  delete process.env.no_proxy;
  delete process.env.NO_PROXY;
  return {
    seen,
    close: async () => {
      for (const name of ['http_proxy', 'https_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let books: Record<string, string>;
let tripwire: Tripwire;
let app: TestApp | undefined;
const looked: string[] = [];

beforeAll(async () => {
  books = {
    'org/book': await tempFolder({ 'README.md': 'book\n' }),
    'org/greedy': await tempFolder({ 'binder/resources.json': '{ "memory": "64g", "cpus": 2 }' }),
    'org/unreadable-resources': await tempFolder({ 'binder/resources.json': '{ "memory": 4 ' }),
    'org/odd-resources': await tempFolder({ 'binder/resources.json': '{ "gpus": 8 }' }),
  };
  tripwire = await startTripwire();
});
afterAll(async () => {
  await tripwire.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(config: ConfigInput = {}): Promise<TestApp> {
  const dataDir = await tempFolder({});
  const guard = new AddressGuard(config.admission?.allowPrivateGitHosts ?? [], (hostname) => {
    looked.push(hostname);
    const found = RESOLVER[hostname];
    return found
      ? Promise.resolve(found.map((address) => ({ address })))
      : Promise.reject(new Error('ENOTFOUND'));
  });
  const git = new GitProvider(
    {
      remotes: new GitRemotes({ dataDir, allowFileUrls: false, timeoutMs: 30_000 }),
      credentials: [],
    },
    { allowFileUrls: false, guard },
  );
  app = await startTestApp({
    providers: fakeProviders({ github: books, git }),
    config: { ...config, admission: { rateLimit: { launches: 0 }, ...config.admission } },
  });
  return app;
}

interface Answer {
  status: number;
  headers: Headers;
  /** The final event's status for a stream, else the HTTP status. */
  outcome: number;
  last: LaunchEvent | undefined;
}

async function answer(response: Response): Promise<Answer> {
  const events = (await readDataLines(response)).map(parseLaunchEvent);
  const last = events.at(-1);
  return {
    status: response.status,
    headers: response.headers,
    outcome: last?.phase === 'failed' ? last.status : response.status,
    last,
  };
}

function post(base: URL, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  return fetch(new URL('api/v1/launch', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  }).then(answer);
}

function launch(base: URL, request: LaunchRequest, headers: Record<string, string> = {}) {
  return post(base, JSON.stringify(request), headers);
}

function build(base: URL, spec: string, headers: Record<string, string> = {}): Promise<Answer> {
  return fetch(new URL(`build/${spec}`, base), {
    headers: { accept: 'text/event-stream', ...headers },
  }).then(async (response) => {
    if (response.status !== 200) return answer(response);
    // BinderHub's stream stays open after its last event; read up to it.
    const reader = response.body?.getReader();
    let text = '';
    while (reader && !/"phase":"(ready|failed)"/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value as Uint8Array);
    }
    await reader?.cancel();
    const events = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { phase: string; status_code?: number });
    const last = events.at(-1);
    return {
      status: response.status,
      headers: response.headers,
      outcome: last?.phase === 'failed' ? (last.status_code ?? 500) : 200,
      last: undefined,
    };
  });
}

async function stillServing(base: URL, headers: Record<string, string> = {}): Promise<ReadyEvent> {
  const { last } = await launch(base, { repo: 'gh/org/book/main' }, headers);
  if (last?.phase !== 'ready')
    throw new Error(`the server stopped serving: ${JSON.stringify(last)}`);
  return last;
}

const git = (url: string) => `git/${encodeURIComponent(url)}/main`;

describe('a hostile corpus against admission', () => {
  it('rejects hostile specs, refs and bodies with 400 (413 when over 16 KB)', async () => {
    const { url } = await start();
    const corpus: [string, string][] = [
      ['unknown provider', JSON.stringify({ repo: 'svn/org/repo' })],
      ['path traversal', JSON.stringify({ repo: 'gh/../../etc/passwd' })],
      ['local traversal', JSON.stringify({ repo: 'local/..%2F..%2Fetc' })],
      ['git transport', JSON.stringify({ repo: git('ext::sh -c id') })],
      ['ssh URL', JSON.stringify({ repo: git('ssh://git@github.com/org/repo') })],
      ['credentials in URL', JSON.stringify({ repo: git('https://u:p@example.org/r.git') })],
      [
        'option-like ref',
        JSON.stringify({ repo: 'gh/org/book', ref: '--upload-pack=touch /tmp/x' }),
      ],
      ['ref with ..', JSON.stringify({ repo: 'gh/org/book/a..b' })],
      ['ref given twice', JSON.stringify({ repo: 'gh/org/book/main', ref: 'dev' })],
      ['control characters', JSON.stringify({ repo: 'gh/org/book/ma\u0000in' })],
      ['bad kernel name', JSON.stringify({ repo: 'gh/org/book', kernel: '../../bin/sh' })],
      ['not JSON', '{"repo": '],
      ['an array', '[]'],
      ['unknown field', JSON.stringify({ repo: 'gh/org/book', env: { LD_PRELOAD: 'x' } })],
      ['wrong type', JSON.stringify({ repo: 42 })],
    ];
    for (const [what, body] of corpus) {
      const { status } = await post(url, body);
      expect(status, what).toBe(400);
    }
    const oversized = JSON.stringify({ repo: 'gh/org/book', ref: 'x'.repeat(20_000) });
    expect((await post(url, oversized)).status).toBe(413);
    await stillServing(url);
  });

  it('rejects hostile headers: foreign origins (403), wrong content type (400), oversized headers (431)', async () => {
    const { url } = await start({ allowOrigins: ['https://book.example.org'] });
    const body = JSON.stringify({ repo: 'gh/org/book/main' });
    expect((await post(url, body, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(url, body, { origin: 'null' })).status).toBe(403);
    expect((await post(url, body, { 'content-type': 'text/plain' })).status).toBe(400);
    const huge = await fetch(new URL('api/v1/launch', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-padding': 'x'.repeat(32_000) },
      body,
    });
    expect(huge.status).toBe(431);
    const wrongAccept = await fetch(new URL('build/gh/org/book/main', url));
    expect(wrongAccept.status).toBe(406);
    await stillServing(url);
  });

  it('rejects bad and cross-session tokens at the proxy (401, 403, 404)', async () => {
    const { url } = await start();
    const first = await stillServing(url);
    const second = await stillServing(url);
    const kernels = (ready: ReadyEvent, token?: string) =>
      fetch(new URL('api/kernels', ready.url), {
        headers: token === undefined ? {} : { authorization: `token ${token}` },
      }).then((response) => response.status);
    expect(await kernels(first, first.token)).toBe(200);
    expect(await kernels(first)).toBe(401);
    expect(await kernels(first, 'not-a-token')).toBe(403);
    expect(await kernels(first, second.token)).toBe(403);
    expect(await kernels(second, first.token)).toBe(403);
    const gone = new URL(`sessions/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/`, url);
    expect(
      (
        await fetch(new URL('api/kernels', gone), {
          headers: { authorization: `token ${first.token}` },
        })
      ).status,
    ).toBe(404);
    await stillServing(url);
  });

  it('refuses metadata and private-range git URLs with 403 before any connection', async () => {
    const { url } = await start();
    const corpus = [
      'http://169.254.169.254/latest/meta-data/iam.git',
      'http://metadata.test/computeMetadata/v1.git',
      'http://[fd00:ec2::254]/latest.git',
      'http://127.0.0.1:22/repo.git',
      'http://2130706433/repo.git',
      'http://0x7f000001/repo.git',
      'http://[::ffff:169.254.169.254]/repo.git',
      'http://[::1]/repo.git',
      'http://0.0.0.0:8080/repo.git',
      'http://100.64.0.1/repo.git',
      'https://intranet.test/org/repo.git',
      'https://v6-private.test/org/repo.git',
      'https://rebound.test/org/repo.git',
    ];
    for (const repoUrl of corpus) {
      const { outcome, last } = await launch(url, { repo: git(repoUrl) });
      expect(outcome, repoUrl).toBe(403);
      expect(last?.phase === 'failed' && last.message, repoUrl).toContain('own networks');
      expect((await build(url, git(repoUrl))).outcome, repoUrl).toBe(403);
    }
    expect(tripwire.seen).toEqual([]);
    expect(looked).toEqual(expect.arrayContaining(['metadata.test', 'rebound.test']));

    // The tripwire does catch git: a public name gets through the guard and reaches it.
    const { outcome } = await launch(url, { repo: git('http://public.test/org/repo.git') });
    expect(outcome).toBe(404);
    expect(tripwire.seen).toEqual([
      expect.stringMatching(/^GET http:\/\/public\.test\/org\/repo\.git\/info\/refs/),
    ]);
    tripwire.seen.length = 0;
    await stillServing(url);
  });

  it('rejects malformed resource requests with 422 and grants capped ones, saying so', async () => {
    const started = await start();
    for (const repo of ['gh/org/unreadable-resources/main', 'gh/org/odd-resources/main']) {
      const { outcome, last } = await launch(started.url, { repo });
      expect(outcome, repo).toBe(422);
      expect(last?.phase === 'failed' && last.message).toContain('binder/resources.json');
    }
    const response = await fetch(new URL('api/v1/launch', started.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repo: 'gh/org/greedy/main' }),
    });
    const events = (await readDataLines(response)).map(parseLaunchEvent);
    expect(events.at(-1)?.phase).toBe('ready');
    expect(events).toContainEqual({
      phase: 'building',
      message:
        'Granted 2 GiB of memory and 1 CPU (capped: memory 64 GiB asked, 2 GiB at most; ' +
        '2 CPUs asked, 1 at most); the fake backend does not enforce resource limits',
    });
    expect(started.backend.sessions.at(-1)?.request?.resources).toEqual({
      memoryBytes: 2 * 1024 ** 3,
      cpus: 1,
    });
  });

  it("refuses banned and unlisted repositories with 403 and the operator's message, on both routes", async () => {
    const { url } = await start({
      admission: {
        banned: [
          { pattern: 'gh/org/greedy', message: 'it ran a miner; write to abuse@example.org' },
        ],
        allowed: ['gh/org/*'],
      },
    });
    const banned = await launch(url, { repo: 'gh/org/greedy/main' });
    expect(banned.status).toBe(403);
    expect(banned.last?.phase === 'failed' && banned.last.message).toContain(
      'it ran a miner; write to abuse@example.org',
    );
    expect((await build(url, 'gh/org/greedy/main')).outcome).toBe(403);
    expect((await launch(url, { repo: 'gh/elsewhere/repo' })).status).toBe(403);
    expect((await launch(url, { image: 'python:3.12' })).status).toBe(403);
    await stillServing(url);
  });

  it('answers launches over a quota with 503 naming the limit', async () => {
    const { url } = await start({
      sessions: { maxSessions: 3 },
      admission: { quotas: [{ pattern: 'gh/org/book', maxSessions: 2 }] },
    });
    await stillServing(url);
    await stillServing(url);
    const perRepo = await launch(url, { repo: 'gh/org/book/main' });
    expect(perRepo.status).toBe(503);
    expect(perRepo.last?.phase === 'failed' && perRepo.last.message).toContain('admission.quotas');
    expect((await build(url, 'gh/org/book/main')).outcome).toBe(503);
    expect((await launch(url, { repo: 'gh/org/greedy/main' })).last?.phase).toBe('ready');
    const total = await launch(url, { repo: 'gh/org/odd-resources/main' });
    expect(total.status).toBe(503);
    expect(total.last?.phase === 'failed' && total.last.message).toContain('maximum of 3 sessions');
  });

  it('limits launches per client address with 429 and Retry-After, on both routes', async () => {
    const { url } = await start({
      admission: { rateLimit: { launches: 2, periodSeconds: 600, exempt: [] } },
    });
    await stillServing(url);
    expect((await build(url, 'gh/org/book/main')).outcome).toBe(200);
    for (const refused of [
      await launch(url, { repo: 'gh/org/book/main' }),
      await build(url, 'gh/org/book/main'),
    ]) {
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(500);
    }
  });

  it('counts a client behind the trusted proxy by the address the proxy added, not one it wrote', async () => {
    const { url } = await start({
      trustProxy: true,
      admission: { rateLimit: { launches: 1, exempt: [] } },
    });
    const body = JSON.stringify({ repo: 'gh/org/book/main' });
    const from = (forwarded: string) => post(url, body, { 'x-forwarded-for': forwarded });
    expect((await from('198.51.100.1, 203.0.113.5')).last?.phase).toBe('ready');
    expect((await from('198.51.100.2, 203.0.113.5')).status).toBe(429);
    expect((await from('203.0.113.6')).last?.phase).toBe('ready');
  });

  it('asks for an API key when keys are configured (401), on both routes', async () => {
    const { url } = await start({ admission: { apiKeys: [KEY] } });
    const missing = await launch(url, { repo: 'gh/org/book/main' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect(
      (await launch(url, { repo: 'gh/org/book/main' }, { authorization: 'Bearer nope' })).status,
    ).toBe(401);
    expect((await build(url, 'gh/org/book/main')).status).toBe(401);
    expect((await build(url, 'gh/org/book/main?key=nope')).status).toBe(401);
    expect((await build(url, `gh/org/book/main?key=${KEY}`)).outcome).toBe(200);
    await stillServing(url, { authorization: `Bearer ${KEY}` });
  });
});

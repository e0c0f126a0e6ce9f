import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinderCellServer } from '../../server.js';
import { startServer } from '../../server.js';
import { parseConfig } from '../../config.js';
import { LABELS } from './labels.js';
import {
  TEST_BASE_IMAGE,
  docker,
  dockerTestConfig,
  requireDocker,
  startDockerTestServer,
} from '../../test-support/docker-server.js';
import { startGitHttpServer } from '../../test-support/git-http-server.js';
import { createGitRepo, gitSpec } from '../../test-support/git-repo.js';
import type { GitRepo } from '../../test-support/git-repo.js';
import { execute, startKernel } from '../../test-support/kernel-client.js';
import { launch, launchReady } from '../../test-support/launch-client.js';
import { TEST_DATA_DIR, stopTestServer } from '../../test-support/server.js';

const containerOf = async (sessionId: string) => {
  const [found] = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.session}=${sessionId}`] },
  });
  return found ? docker.getContainer(found.Id).inspect() : undefined;
};

describe('sessions in containers', () => {
  let server: BinderCellServer;
  let repo: GitRepo;

  beforeAll(async () => {
    repo = await createGitRepo({ 'README.md': 'sessions\n' });
    server = await startDockerTestServer({
      docker: {
        limits: { memory: '768m', cpus: 0.5, pids: 200 },
        repoLimits: [{ match: 'git/**', memory: '1g', pids: 300 }],
        allowedImages: ['binder-cell-test-allowed:*'],
      },
    });
  });
  afterAll(() => stopTestServer(server));

  it('runs hardened: non-root, no new privileges, no capabilities, limits, nothing published', async () => {
    const ready = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
    const container = await containerOf(ready.sessionId);
    expect(container?.Config.User).toBe('jovyan');
    expect(container?.HostConfig.CapDrop).toEqual(['ALL']);
    expect(container?.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
    expect(container?.HostConfig.Memory).toBe(1024 ** 3);
    expect(container?.HostConfig.NanoCpus).toBe(0.5e9);
    expect(container?.HostConfig.PidsLimit).toBe(300);
    expect(container?.HostConfig.PortBindings ?? {}).toEqual({});
    expect(container?.HostConfig.Privileged).toBe(false);
    expect(JSON.stringify(container?.Mounts ?? [])).not.toContain('docker.sock');
    expect(container?.Config.Labels).toMatchObject({
      [LABELS.session]: ready.sessionId,
      [LABELS.repo]: ready.repo,
      [LABELS.ref]: ready.ref,
      [LABELS.image]: ready.image,
      [LABELS.created]: expect.stringMatching(/^\d+$/),
      [LABELS.expires]: expect.stringMatching(/^\d+$/),
    });

    const { kernel, dispose } = await startKernel(ready);
    try {
      const { stdout } = await execute(
        kernel,
        'import os\nprint(os.getuid(), open("/proc/self/status").read().split("CapEff:")[1].split()[0])',
      );
      expect(stdout).toBe('1000 0000000000000000\n');
    } finally {
      dispose();
    }
  });

  it('removes the container when the session is deleted', async () => {
    const ready = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
    expect(await containerOf(ready.sessionId)).toBeDefined();
    const response = await fetch(new URL(`api/v1/sessions/${ready.sessionId}`, server.url), {
      method: 'DELETE',
      headers: { authorization: `token ${ready.token}` },
    });
    expect(response.status).toBe(204);
    expect(await containerOf(ready.sessionId)).toBeUndefined();
  });

  it('launches allowed images without a build, and refuses others', async () => {
    const built = await launchReady(server.url, { repo: gitSpec(repo.url, 'main') });
    await docker.getImage(built.image).tag({ repo: 'binder-cell-test-allowed', tag: '1' });
    const { events } = await launch(server.url, { image: 'binder-cell-test-allowed:1' });
    expect(events.map((event) => event.phase)).toEqual(['waiting', 'launching', 'ready']);
    const ready = events.at(-1);
    if (ready?.phase !== 'ready') throw new Error('not ready');
    const { kernel, dispose } = await startKernel(ready);
    try {
      expect((await execute(kernel, 'print("from an image")')).stdout).toBe('from an image\n');
    } finally {
      dispose();
    }
    expect((await launch(server.url, { image: TEST_BASE_IMAGE })).events.at(-1)).toMatchObject({
      phase: 'failed',
      status: 403,
    });
    expect(
      (await launch(server.url, { image: 'binder-cell-test-allowed:missing' })).events.at(-1),
    ).toMatchObject({
      phase: 'failed',
      status: 404,
    });
  });
});

describe('a server restart', () => {
  it('re-adopts live sessions and removes expired ones', async () => {
    const repo = await createGitRepo({ 'README.md': 'restart\n' });
    const first = await startDockerTestServer();
    const ready = await launchReady(first.url, { repo: gitSpec(repo.url, 'main') });
    await first.close();
    expect((await containerOf(ready.sessionId))?.State.Running).toBe(true);

    const second = await startDockerTestServer();
    try {
      const readyAgain = { ...ready, url: ready.url.replace(first.url.href, second.url.href) };
      readyAgain.wsUrl = readyAgain.url.replace('http', 'ws');
      const { kernel, dispose } = await startKernel(readyAgain);
      try {
        expect((await execute(kernel, 'print("still here")')).stdout).toBe('still here\n');
      } finally {
        dispose();
      }
      const wrongToken = await fetch(new URL('api/status', readyAgain.url), {
        headers: { authorization: 'token wrong' },
      });
      expect(wrongToken.status).toBe(403);
    } finally {
      await second.close();
    }

    const shortLived = await startDockerTestServer({ sessions: { maxAgeSeconds: 1 } });
    const expiring = await launchReady(shortLived.url, { repo: gitSpec(repo.url, 'main') });
    await shortLived.close();
    await sleep(1200);
    const third = await startDockerTestServer();
    try {
      expect(third.registry.get(expiring.sessionId)).toBeUndefined();
      expect(await containerOf(expiring.sessionId)).toBeUndefined();
      expect(third.registry.get(ready.sessionId)).toBeDefined();
    } finally {
      await third.registry.endAll('test finished');
      await third.close();
    }
  });
});

describe('a private repository launched with a token', () => {
  it('builds with the token but keeps it out of images, labels, logs and events', async () => {
    await requireDocker();
    const token = 'ghp_binderCellTestToken_d41d8cd98f';
    const gitServer = await startGitHttpServer();
    const logs: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    const source = await createGitRepo({
      'requirements.txt': 'numpy\n',
      'secret.txt': 'private content\n',
    });
    gitServer.publish('owner/private.git', source.dir, {
      username: 'x-access-token',
      password: token,
    });
    const server = await startServer({
      config: parseConfig(
        await dockerTestConfig({
          port: 0,
          dataDir: TEST_DATA_DIR,
          logLevel: 'debug',
          repos: { github: { baseUrl: gitServer.url } },
        }),
      ),
      logger: pino({ level: 'debug' }, sink),
    });
    try {
      const denied = await launch(server.url, { repo: 'gh/owner/private/main' });
      expect(denied.events.at(-1)).toMatchObject({ phase: 'failed', status: 404 });

      const { events } = await launch(server.url, {
        repo: 'gh/owner/private/main',
        repoToken: token,
      });
      const ready = events.at(-1);
      if (ready?.phase !== 'ready') throw new Error(`not ready: ${JSON.stringify(ready)}`);
      const { kernel, dispose } = await startKernel(ready);
      try {
        expect((await execute(kernel, 'print(open("secret.txt").read().strip())')).stdout).toBe(
          'private content\n',
        );
      } finally {
        dispose();
      }
      expect(gitServer.authorizations.length).toBeGreaterThan(0);

      expect(JSON.stringify(events)).not.toContain(token);
      expect(logs.join('')).not.toContain(token);
      const image = await docker.getImage(ready.image).inspect();
      expect(JSON.stringify(image)).not.toContain(token);
      const history = await docker.getImage(ready.image).history();
      expect(JSON.stringify(history)).not.toContain(token);
      const container = await containerOf(ready.sessionId);
      expect(JSON.stringify(container)).not.toContain(token);
    } finally {
      await server.registry.endAll('test finished');
      await server.close();
      await gitServer.close();
    }
  });
});

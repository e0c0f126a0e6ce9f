import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { HealthInfo } from '@binder-cell/launch-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../server/src/backends/docker/labels.js';
import type { ConfigInput } from '../../server/src/config.js';
import {
  TEST_BASE_IMAGE,
  packageIndexes,
  requireDocker,
} from '../../server/src/test-support/docker-server.js';
import { startGitHttpServer } from '../../server/src/test-support/git-http-server.js';
import type { GitHttpServer } from '../../server/src/test-support/git-http-server.js';
import { createGitRepo, gitSpec } from '../../server/src/test-support/git-repo.js';
import { execute, startKernel } from '../../server/src/test-support/kernel-client.js';
import { launchReady } from '../../server/src/test-support/launch-client.js';
import { tempFolder } from '../../server/src/test-support/temp-folder.js';
import { compose, findCompose } from './support/compose.js';
import type { Compose } from './support/compose.js';
import { REPO_ROOT, SERVER_IMAGE, buildServerImage } from './support/server-image.js';

const run = promisify(execFile);
const COMPOSE_FILE = join(REPO_ROOT, 'deploy/docker/compose.yaml');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** The address the host has on Docker's default bridge, which containers reach it at. */
async function bridgeGateway(): Promise<string> {
  const { stdout } = await run('docker', [
    'network',
    'inspect',
    'bridge',
    '--format',
    '{{(index .IPAM.Config 0).Gateway}}',
  ]);
  return stdout.trim();
}

describe('deploy/docker: the server image under compose, with sessions as sibling containers', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const instanceId = `deploy-test-${suffix}`;
  const env: Record<string, string> = {};
  let tool: Compose;
  let git: GitHttpServer;
  let url: URL;
  let spec: string;

  beforeAll(async () => {
    await requireDocker();
    tool = await findCompose();
    await buildServerImage();

    const gateway = await bridgeGateway();
    git = await startGitHttpServer(gateway);
    const repo = await createGitRepo({ 'hello.py': 'GREETING = "hello from compose"\n' });
    git.publish('course.git', repo.dir);
    spec = gitSpec(`${git.url}/course.git`, 'main');

    const network = `binder-cell-deploy-test-${suffix}`;
    const [pipIndexUrl, ...pipExtraIndexUrls] = (await packageIndexes()).indexUrls;
    const config: ConfigInput = {
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/var/lib/binder-cell',
      backend: 'docker',
      instanceId,
      docker: {
        baseImage: TEST_BASE_IMAGE,
        imagePrefix: 'binder-cell-test',
        network,
        // Builds run on the engine, on the host's network, where the pip index listens.
        buildNetwork: 'host',
      },
      packages: pipIndexUrl ? { pipIndexUrl, pipExtraIndexUrls } : {},
      admission: { allowPrivateGitHosts: [gateway] },
    };
    const configFile = join(await tempFolder({}), 'binder-cell.json');
    await writeFile(configFile, JSON.stringify(config));

    const port = await freePort();
    Object.assign(env, {
      COMPOSE_PROJECT_NAME: `binder-cell-deploy-test-${suffix}`,
      BINDER_CELL_IMAGE: SERVER_IMAGE,
      BINDER_CELL_PORT: String(port),
      BINDER_CELL_CONFIG: configFile,
      BINDER_CELL_NETWORK: network,
      DOCKER_GID: String(statSync('/var/run/docker.sock').gid),
    });
    url = new URL(`http://127.0.0.1:${port}/`);
    await compose(tool, ['--file', COMPOSE_FILE, 'up', '--detach', '--no-build'], env);
  });

  afterAll(async () => {
    // Sessions outlive the server by design: end them first, then the network they are on can go.
    const { stdout } = await run('docker', [
      'ps',
      '--all',
      '--quiet',
      '--filter',
      `label=${LABELS.instance}=${instanceId}`,
    ]);
    const sessions = stdout.split('\n').filter(Boolean);
    if (sessions.length > 0) await run('docker', ['rm', '--force', ...sessions]);
    if (Object.keys(env).length > 0) {
      await compose(tool, ['--file', COMPOSE_FILE, 'down', '--volumes'], env);
    }
    await git?.close();
  });

  /**
   * Polls /health until the server answers at all (it may answer 503), for at most 30 s;
   * then fails with the end of the server container's log.
   */
  async function health(): Promise<Response> {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      // Until the server listens, Docker's port proxy may take a connection and never answer.
      const response = await fetch(new URL('health', url), {
        signal: AbortSignal.timeout(2000),
      }).catch(() => undefined);
      if (response) return response;
      await sleep(500);
    }
    const logs = await compose(
      tool,
      ['--file', COMPOSE_FILE, 'logs', '--tail', '20', 'server'],
      env,
    );
    throw new Error(`the server did not answer on ${url.href}; its log ends:\n${logs}`);
  }

  const serverContainer = async () =>
    (await compose(tool, ['--file', COMPOSE_FILE, 'ps', '--quiet', 'server'], env)).trim();

  it('compose accepts the file, and refuses it without the socket group', async () => {
    await compose(tool, ['--file', COMPOSE_FILE, 'config', '--quiet'], env);
    await expect(
      compose(tool, ['--file', COMPOSE_FILE, 'config', '--quiet'], { ...env, DOCKER_GID: '' }),
    ).rejects.toThrow(/DOCKER_GID/);
  });

  it('runs the server as its own non-root user, answering /health and its HEALTHCHECK', async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      backend: 'docker',
    } satisfies Partial<HealthInfo>);

    const container = await serverContainer();
    const { stdout: uid } = await run('docker', ['exec', container, 'id', '-u']);
    expect(uid.trim()).toBe('10001');
    const { stdout: check } = await run('docker', [
      'inspect',
      '--format',
      '{{json .Config.Healthcheck.Test}}',
      container,
    ]);
    const [kind, ...command] = JSON.parse(check) as string[];
    expect(kind).toBe('CMD');
    // The image's own health command, run in the container: exit 0 is healthy.
    await run('docker', ['exec', container, ...command]);
  });

  // A first launch builds the environment image (pip from the local index): about a minute
  // and a half on a loaded 2-core machine; later runs reuse it and take seconds.
  it('launches a repository over git into a sibling session container that runs code', async () => {
    await health();
    const ready = await launchReady(url, { repo: spec });
    const { kernel, dispose } = await startKernel(ready);
    try {
      const { stdout } = await execute(kernel, 'import hello; print(hello.GREETING)');
      expect(stdout).toBe('hello from compose\n');
    } finally {
      dispose();
    }
    const { stdout } = await run('docker', [
      'ps',
      '--quiet',
      '--filter',
      `label=${LABELS.instance}=${instanceId}`,
    ]);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
  }, 300_000);
});

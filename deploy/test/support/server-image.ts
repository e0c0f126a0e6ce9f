import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TEST_BASE_IMAGE } from '../../../server/src/test-support/docker-server.js';

const run = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The server's image as deploy/docker/Dockerfile builds it, tagged for the tests. */
export const SERVER_IMAGE = 'binder-cell-server:deploy-test';
const NODE_BASE_IMAGE = 'binder-cell-deploy-test-node:bookworm';

/** Docker's classic builder: this machine's engine has no BuildKit client (buildx). */
async function dockerBuild(context: string, args: string[]): Promise<void> {
  await run('docker', ['build', '--quiet', ...args, context], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * A stand-in for `node:20-bookworm-slim` with no registry to pull it from: the suite's base
 * image (a debootstrapped bookworm) with this machine's own node and npm copied in, and the
 * CA certificates this node trusts (NODE_EXTRA_CA_CERTS), so npm in the build reaches the
 * registry the way it does here.
 */
async function buildNodeBaseImage(): Promise<void> {
  const context = await mkdtemp(join(tmpdir(), 'binder-cell-node-base-'));
  try {
    const { stdout } = await run('npm', ['root', '--global']);
    await cp(process.execPath, join(context, 'node'));
    await cp(join(stdout.trim(), 'npm'), join(context, 'npm'), { recursive: true });
    const extraCa = process.env.NODE_EXTRA_CA_CERTS;
    if (extraCa) await cp(extraCa, join(context, 'extra-ca.crt'));
    const lines = [
      `FROM ${TEST_BASE_IMAGE}`,
      'COPY node /usr/local/bin/node',
      'COPY npm /usr/local/lib/node_modules/npm',
      'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm',
      ...(extraCa
        ? [
            'COPY extra-ca.crt /usr/local/share/binder-cell-test/extra-ca.crt',
            'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/binder-cell-test/extra-ca.crt',
          ]
        : []),
    ];
    await writeFile(join(context, 'Dockerfile'), `${lines.join('\n')}\n`);
    await dockerBuild(context, ['--tag', NODE_BASE_IMAGE]);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/**
 * Builds deploy/docker/Dockerfile from the repository root, as an operator would, on the
 * host network (npm and apt in the build). Docker's layer cache keeps later builds short:
 * the dependencies' layer is rebuilt only when package-lock.json changes.
 */
export async function buildServerImage(): Promise<void> {
  await buildNodeBaseImage();
  await dockerBuild(REPO_ROOT, [
    '--network',
    'host',
    '--file',
    join(REPO_ROOT, 'deploy/docker/Dockerfile'),
    '--build-arg',
    `BASE_IMAGE=${NODE_BASE_IMAGE}`,
    '--tag',
    SERVER_IMAGE,
  ]);
}

/**
 * Docker backend build times for a requirements.txt repository: the first build of a new
 * environment, a relaunch of the same commit, and a new commit that changes only a notebook.
 *
 *   npm run bench:build
 */
import { randomBytes } from 'node:crypto';
import { startDockerTestServer } from '../server/src/test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../server/src/test-support/git-repo.js';
import { seconds, timedLaunch } from './launch-timing.js';

const server = await startDockerTestServer();
try {
  // A fresh environment each run: the comment changes the environment key. Docker's own
  // layer cache still holds the shared layers (Debian Python, jupyter_server).
  const nonce = randomBytes(6).toString('hex');
  const repo = await createGitRepo({
    'requirements.txt': `# benchmark ${nonce}\nnumpy\npandas\n`,
    'analysis.ipynb': '{"cells": []}',
  });
  const spec = gitSpec(repo.url, 'main');
  const first = await timedLaunch(server, spec);
  const relaunch = await timedLaunch(server, spec);
  await repo.commit({ 'analysis.ipynb': '{"cells": ["changed"]}' });
  const contentOnly = await timedLaunch(server, spec);

  console.log(
    'docker backend, requirements.txt with numpy and pandas (times to a kernel answering 1+1)',
  );
  console.log(`first build of a new environment   ${seconds(first.kernelMs)}`);
  console.log(`relaunch of the same commit        ${seconds(relaunch.kernelMs)}`);
  console.log(`new commit, only a notebook changed ${seconds(contentOnly.kernelMs)}`);
  console.log(
    `content-only / first build ratio   ${(contentOnly.kernelMs / first.kernelMs).toFixed(3)} (target < 0.1)`,
  );
} finally {
  await server.close();
}

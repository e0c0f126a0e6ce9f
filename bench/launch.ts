/**
 * Launch-to-kernel-ready with the image already built: POST /api/v1/launch until a kernel
 * started through the proxy answers `1+1`, for the docker and the local backend.
 *
 *   npm run bench:launch [-- --runs 20]
 */
import { parseArgs } from 'node:util';
import type { BinderCellServer } from '../server/src/server.js';
import { startDockerTestServer } from '../server/src/test-support/docker-server.js';
import { createGitRepo, gitSpec } from '../server/src/test-support/git-repo.js';
import { startTestServer } from '../server/src/test-support/server.js';
import { seconds, timedLaunch } from './launch-timing.js';
import { summarize } from './stats.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);

async function measure(name: string, server: BinderCellServer, spec: string): Promise<void> {
  await timedLaunch(server, spec); // builds, or finds, the images
  const ready: number[] = [];
  const kernel: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const timing = await timedLaunch(server, spec);
    ready.push(timing.readyMs);
    kernel.push(timing.kernelMs);
  }
  const r = summarize(ready);
  const k = summarize(kernel);
  console.log(
    `${name.padEnd(8)} launch to ready        p50 ${seconds(r.p50)}  p90 ${seconds(r.p90)}`,
  );
  console.log(
    `${name.padEnd(8)} launch to kernel ready p50 ${seconds(k.p50)}  p90 ${seconds(k.p90)}`,
  );
  await server.close();
}

const repo = await createGitRepo({ 'requirements.txt': 'numpy\n' });
const spec = gitSpec(repo.url, 'main');
console.log(`cached image, ${runs} launches each (mybinder.org median for a built image: ~15 s)`);
await measure('docker', await startDockerTestServer(), spec);
await measure('local', await startTestServer(), spec);

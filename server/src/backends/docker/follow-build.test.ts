import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../shared/backend-error.js';
import { followBuild } from './follow-build.js';

/** A build's progress stream as the engine sends it: one JSON object per line. */
function progress(...events: object[]): NodeJS.ReadableStream {
  return Readable.from(events.map((event) => `${JSON.stringify(event)}\r\n`));
}

// No engine is contacted: dockerode only parses the progress stream.
const docker = new Dockerode({ socketPath: '/nonexistent/docker.sock' });

describe('followBuild', () => {
  it('passes the build output on line by line, without blank lines or carriage returns', async () => {
    const lines: string[] = [];
    await followBuild(
      docker,
      progress(
        { stream: 'Step 1/2 : FROM base\n' },
        { stream: 'Collecting numpy\r\n\n Downloading' },
        { stream: ' numpy.whl\n' },
        { status: 'Pulling fs layer' },
      ),
      (line) => lines.push(line),
    );
    expect(lines).toEqual([
      'Step 1/2 : FROM base',
      'Collecting numpy',
      ' Downloading numpy.whl',
      'Pulling fs layer',
    ]);
  });

  it('fails as a build error with the last lines when a step fails', async () => {
    const failing = followBuild(
      docker,
      progress(
        { stream: 'Step 2/2 : RUN pip install nope\n' },
        { stream: 'ERROR: No matching distribution found for nope\n' },
        {
          error: "The command '/bin/sh -c pip install nope' returned a non-zero code: 1",
          errorDetail: {
            message: "The command '/bin/sh -c pip install nope' returned a non-zero code: 1\n",
          },
        },
      ),
      () => undefined,
    );
    await expect(failing).rejects.toThrow(BackendError);
    await expect(failing).rejects.toMatchObject({
      step: 'build',
      message: "The command '/bin/sh -c pip install nope' returned a non-zero code: 1",
      tail: ['Step 2/2 : RUN pip install nope', 'ERROR: No matching distribution found for nope'],
    });
  });
});

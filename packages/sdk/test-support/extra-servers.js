import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

/** The URL of a 127.0.0.1 port that nothing listens on (it was free a moment ago). */
export async function closedPortUrl() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/`;
}

/**
 * A stand-in launch server that answers `/health` with `health` and everything else
 * (the launch) with `launch`, allowing any origin. Returns its URL and a way to close it.
 */
export async function startStatusServer({ health, launch }) {
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const status = new URL(req.url ?? '/', 'http://x').pathname === '/health' ? health : launch;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `test server answering ${status}` }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * A plain Jupyter server from a built environment (`python` of its venv), with a token
 * and any origin allowed, as a page author would run one. Resolves once it listens.
 */
export async function startJupyterServer(python, rootDir) {
  const token = randomBytes(16).toString('hex');
  const child = spawn(
    python,
    [
      '-m',
      'jupyter_server',
      '--ServerApp.ip=127.0.0.1',
      '--ServerApp.port=0',
      '--ServerApp.open_browser=False',
      `--ServerApp.root_dir=${rootDir}`,
      `--IdentityProvider.token=${token}`,
      '--ServerApp.allow_origin=*',
      ...(process.getuid?.() === 0 ? ['--ServerApp.allow_root=True'] : []),
    ],
    { cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise((resolve, reject) => {
    const output = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
        if (match) resolve(match[1]);
      });
    }
    child.once('exit', (code) =>
      reject(new Error(`jupyter server exited (${code}): ${output.join('\n')}`)),
    );
  });
  await untilAnswering(new URL('api/status', url), token);
  return {
    url,
    token,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) resolve();
        else {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }
      }),
  };
}

/** Waits (20 s at most) until a Jupyter server answers its REST API. */
async function untilAnswering(url, token) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const ok = await fetch(url, { headers: { authorization: `token ${token}` } }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Jupyter server at ${url} does not answer`);
}

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
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

/**
 * A proxy in front of `target` that breaks the first launch stream after `cutAfter`
 * events, the way a proxy closing idle connections or a network change would, and passes
 * everything else (including the resumed stream) through. `stats()` tells how many
 * launch requests it saw, and how many of them resumed with a `Last-Event-ID`.
 */
export async function startCuttingProxy(target, { cutAfter }) {
  const seen = { launches: 0, resumed: 0, cut: 0 };
  const server = createServer((req, res) => {
    const launch = /^\/(api\/v1\/launch|build\/)/.test(req.url ?? '');
    if (launch) {
      seen.launches += 1;
      if (req.headers['last-event-id'] !== undefined) seen.resumed += 1;
    }
    const cutThis = launch && seen.cut === 0 && req.method !== 'OPTIONS';
    const upstream = request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        let events = 0;
        answer.on('data', (chunk) => {
          if (!cutThis || seen.cut > 0) {
            res.write(chunk);
            return;
          }
          // Passes whole events until `cutAfter` of them went through, then breaks the stream.
          const text = chunk.toString();
          let end = 0;
          while (events < cutAfter) {
            const next = text.indexOf('\n\n', end);
            if (next < 0) break;
            end = next + 2;
            if (!text.slice(0, next).split('\n').at(-1)?.startsWith(':')) events += 1;
          }
          if (events < cutAfter) {
            res.write(chunk);
            return;
          }
          seen.cut += 1;
          answer.pause();
          res.write(text.slice(0, end));
          // Long enough for the page to read what went through; then the connection breaks.
          setTimeout(() => {
            answer.destroy();
            res.socket?.destroy();
          }, 300);
        });
        answer.on('end', () => res.end());
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    stats: () => ({ ...seen }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

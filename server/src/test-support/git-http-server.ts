import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Publishes a repository's branches and tags at `<url>/<path>` (e.g. `org/repo.git`). */
  publish(
    path: string,
    sourceDir: string,
    credentials?: { username: string; password: string },
  ): void;
  /** Authorization headers the server has seen (to check what was sent where). */
  authorizations: string[];
  /** Paths of every request the server has had (to check that nothing reached it). */
  paths: string[];
  close(): Promise<void>;
}

/** A real git smart-HTTP server on loopback: `git http-backend` behind Node's http server. */
export async function startGitHttpServer(host = '127.0.0.1'): Promise<GitHttpServer> {
  const root = await mkdtemp(join(tmpdir(), 'binder-cell-git-http-'));
  const privateRepos = new Map<string, string>();
  const authorizations: string[] = [];
  const paths: string[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://internal');
    paths.push(url.pathname);
    const header = req.headers.authorization;
    if (header) authorizations.push(header);
    const repo = [...privateRepos.keys()].find((path) => url.pathname.startsWith(`/${path}/`));
    if (repo && header !== privateRepos.get(repo)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    httpBackend(root, url, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    authorizations,
    paths,
    publish(path, sourceDir, credentials) {
      const target = join(root, path);
      execFileSync('git', ['init', '--bare', '--quiet', target]);
      execFileSync('git', ['-C', sourceDir, 'push', '--quiet', '--force', target, '--all']);
      execFileSync('git', ['-C', sourceDir, 'push', '--quiet', '--force', target, '--tags']);
      if (credentials) {
        const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString(
          'base64',
        );
        privateRepos.set(path, `Basic ${basic}`);
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function httpBackend(root: string, url: URL, req: IncomingMessage, res: ServerResponse): void {
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: (req.headers['git-protocol'] as string | undefined) ?? '',
      REMOTE_ADDR: '127.0.0.1',
    },
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString().split('\r\n')) {
      const [name = '', ...value] = line.split(':');
      if (name.toLowerCase() === 'status') status = Number.parseInt(value.join(':'), 10);
      else res.setHeader(name, value.join(':').trim());
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  child.stdout.on('end', () => res.end());
  child.on('error', () => res.writeHead(500).end());
}

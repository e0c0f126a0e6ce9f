import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local image registry that answers the manifest question of the registry API v2. */
export interface FakeRegistry {
  /** `127.0.0.1:<port>`: an image prefix is `<host>/<path>`. */
  readonly host: string;
  /** Adds an image (`<host>/<repository>:<tag>`), as a push would. */
  push(image: string): void;
  has(image: string): boolean;
  close(): Promise<void>;
}

/**
 * Answers `HEAD /v2/<repository>/manifests/<tag>`: 200 with a Docker-Content-Digest for
 * images pushed, 404 otherwise, as a Docker registry does (plain HTTP).
 */
export async function startFakeRegistry(): Promise<FakeRegistry> {
  const images = new Set<string>();
  const server = createServer((req, res) => {
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(req.url ?? '');
    const image = match && `${host}/${match[1]}:${match[2]}`;
    if (req.method !== 'HEAD' || !image || !images.has(image)) {
      res.writeHead(404).end();
      return;
    }
    const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
    res.writeHead(200, { 'docker-content-digest': digest }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    push: (image) => images.add(image),
    has: (image) => images.has(image),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

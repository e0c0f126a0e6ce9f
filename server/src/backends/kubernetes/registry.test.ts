import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../../test-support/temp-folder.js';
import { ImageRegistry, parseImage } from './registry.js';

describe('image names', () => {
  it('split into registry host, repository and tag as Docker reads them', () => {
    expect(parseImage('registry.example.org:5000/bc/env:abc')).toEqual({
      host: 'registry.example.org:5000',
      repository: 'bc/env',
      tag: 'abc',
    });
    expect(parseImage('localhost/bc/session')).toEqual({
      host: 'localhost',
      repository: 'bc/session',
      tag: 'latest',
    });
    expect(parseImage('busybox:1.36')).toEqual({
      host: 'registry-1.docker.io',
      repository: 'library/busybox',
      tag: '1.36',
    });
  });
});

describe('asking a registry that wants a token whether an image exists', () => {
  let server: Server;
  let host: string;
  let registry: ImageRegistry;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://registry');
      seen.push(`${req.method} ${url.pathname}`);
      if (url.pathname === '/token') {
        const basic = `Basic ${Buffer.from('pusher:secret').toString('base64')}`;
        const scoped = url.searchParams.get('scope') === 'repository:bc/env:pull';
        if (req.headers.authorization !== basic || !scoped) res.writeHead(401).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t0k"}');
        return;
      }
      if (req.headers.authorization !== 'Bearer t0k') {
        res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="http://${host}/token",service="registry",scope="repository:bc/env:pull"`,
          })
          .end();
        return;
      }
      if (url.pathname === '/v2/bc/env/manifests/present') {
        res.writeHead(200, { 'docker-content-digest': 'sha256:0123' }).end();
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const authFile = join(await tempFolder({}), 'config.json');
    await writeFile(
      authFile,
      JSON.stringify({ auths: { [host]: { username: 'pusher', password: 'secret' } } }),
    );
    registry = new ImageRegistry({ insecure: true, authFile });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers the challenge with the credentials of the auth file and reads the digest', async () => {
    await expect(registry.digest(`${host}/bc/env:present`)).resolves.toBe('sha256:0123');
    expect(seen).toEqual([
      'HEAD /v2/bc/env/manifests/present',
      'GET /token',
      'HEAD /v2/bc/env/manifests/present',
    ]);
  });

  it('tells a missing image by 404', async () => {
    await expect(registry.digest(`${host}/bc/env:missing`)).resolves.toBeUndefined();
  });

  it('fails loudly when the token service refuses', async () => {
    const anonymous = new ImageRegistry({ insecure: true, authFile: undefined });
    await expect(anonymous.digest(`${host}/bc/env:present`)).rejects.toThrow(
      "the registry's token service answered 401",
    );
  });
});

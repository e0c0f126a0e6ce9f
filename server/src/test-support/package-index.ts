import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

export interface PackageIndexes {
  /** pip index URLs on 127.0.0.1 (empty: the machine has no local index; pip uses PyPI). */
  indexUrls: string[];
  close(): Promise<void>;
}

/**
 * The index URL is part of every environment image's key, so the same port across runs
 * lets later runs reuse the images; another port is used when this one is taken.
 */
const PREFERRED_PORT = Number(process.env.BINDER_CELL_TEST_INDEX_PORT ?? 47123);

/**
 * Serves the machine's local pip indexes (the file:// ones its pip configuration names)
 * over HTTP on 127.0.0.1, so builds in containers (on the host network) can use them.
 * Each index's parent folder is served, since index pages link to `../../files/...`.
 */
export async function serveLocalPackageIndexes(): Promise<PackageIndexes> {
  const indexes = localIndexFolders();
  const app = express();
  indexes.forEach((index, position) => app.use(`/${position}`, express.static(dirname(index))));
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(app);
      server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server));
    });
  const server = await listen(PREFERRED_PORT).catch(() => listen(0));
  const { port } = server.address() as AddressInfo;
  return {
    indexUrls: indexes.map(
      (index, position) => `http://127.0.0.1:${port}/${position}/${basename(index)}`,
    ),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function localIndexFolders(): string[] {
  let listing = '';
  try {
    listing = execFileSync('python3', ['-m', 'pip', 'config', 'list'], { encoding: 'utf8' });
  } catch {
    return [];
  }
  return [...listing.matchAll(/index-url='([^']+)'/g)]
    .flatMap((match) => (match[1] ?? '').split(/\s+/))
    .filter((url) => url.startsWith('file://'))
    .map((url) => fileURLToPath(url).replace(/\/+$/, ''))
    .filter((path) => existsSync(path));
}

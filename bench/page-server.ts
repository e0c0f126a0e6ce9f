import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startServerProcess } from '../test/support/server-process.js';

export interface PageServer {
  /** The URL of one of the pages, by file name. */
  url(name: string): string;
  close(): Promise<void>;
}

/**
 * A real server (the examples' repositories, the benchmarks' own data dir) serving
 * `pages` (file name -> HTML) as its examples, with the built SDK.
 * @throws Error when the SDK has not been built (`npm run build`).
 */
export async function servePages(pages: Record<string, string>): Promise<PageServer> {
  const examples = await mkdtemp(join(tmpdir(), 'binder-cell-bench-pages-'));
  for (const [name, html] of Object.entries(pages)) await writeFile(join(examples, name), html);
  const server = await startServerProcess([
    '--config',
    `${REPO_ROOT}examples/binder-cell.config.json`,
    '--data-dir',
    `${REPO_ROOT}.cache/bench-data`,
    '--examples',
    examples,
  ]);
  const close = async () => {
    await server.stop();
    await rm(examples, { recursive: true, force: true });
  };
  const sdk = await fetch(new URL('sdk/binder-cell.js', server.url));
  if (!sdk.ok) {
    await close();
    throw new Error('the server has no SDK to serve: run npm run build first');
  }
  return { url: (name) => new URL(`examples/${name}`, server.url).href, close };
}

import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { runCell, startExamplesServer, waitForOutput } from '../support/pages-server.js';
import { saveScreenshot } from '../support/screenshots.js';
import { REPO_ROOT } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

/** Renders the documentation site into `output`, as `npm run docs:site` does. */
function buildSite(output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        `${REPO_ROOT}node_modules/@11ty/eleventy/cmd.cjs`,
        '--config=docs-site/eleventy.config.js',
        `--output=${output}`,
        '--quiet',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`eleventy exited ${code}: ${errors}`)),
    );
  });
}

describe('the docs site, served by the real server, in Chromium', () => {
  let site: string;
  let server: ServerProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    site = await mkdtemp(join(tmpdir(), 'binder-cell-docs-'));
    await buildSite(site);
    server = await startExamplesServer('--docs', site);
    chromium = await launchChromium();
    browser = chromium.browser;
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
    if (site) await rm(site, { recursive: true, force: true });
  });

  it("runs the getting-started page's live cell against the server's kernel", async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const response = await page.goto(new URL('docs/getting-started.html', server.url).href);
    expect(response?.status()).toBe(200);
    await page.waitForFunction(() => customElements.get('binder-cell') !== undefined);
    expect(await page.$$eval('binder-cell', (cells) => cells.length)).toBe(1);

    await runCell(page, 0);
    const output = await waitForOutput(page, 0, 'Hello from a live kernel!');
    expect(output).toMatch(/Python 3\.\d+/);

    const screenshot = await saveScreenshot(page, 'docs-getting-started');
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
  });

  it.each([
    ['sdk.html', 'output markdown'],
    ['theming.html', 'output stream'],
    ['widgets.html', 'output widget'],
  ])(
    "runs every live cell of %s and shows each one's output (%s among them), none an error",
    async (name, expected) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(new URL(`docs/${name}`, server.url).href);
      await page.waitForFunction(() => customElements.get('binder-cell') !== undefined);
      const count = await page.$$eval('binder-cell', (cells) => cells.length);
      expect(count).toBeGreaterThan(0);
      for (let index = 0; index < count; index += 1) await runCell(page, index);
      const kinds = await page.waitForFunction(
        (total) => {
          const cells = Array.from(document.querySelectorAll('binder-cell'));
          const parts = cells.map((cell) =>
            Array.from(
              cell.shadowRoot?.querySelectorAll('[part~="output"]') ?? [],
              (output) => output.getAttribute('part') ?? '',
            ),
          );
          return parts.length === total && parts.every((each) => each.length > 0) ? parts : null;
        },
        { timeout: 120_000, polling: 100 },
        count,
      );
      const parts = (await kinds.jsonValue()) as string[][];
      expect(parts.flat()).toContain(expected);
      expect(parts.flat().filter((part) => part.includes('error'))).toEqual([]);
      page.removeAllListeners('pageerror');
      expect(errors).toEqual([]);
    },
  );

  it('reaches the examples and the SDK it links beside the site (the link check skips them)', async () => {
    const beside = new Set<string>();
    for (const name of ['index.html', 'getting-started.html', 'examples.html', 'thebe.html']) {
      await page.goto(new URL(`docs/${name}`, server.url).href);
      const urls = await page.$$eval('a[href], script[src]', (elements) =>
        elements.map(
          (element) => (element as HTMLAnchorElement).href || (element as HTMLScriptElement).src,
        ),
      );
      urls
        .filter((url) => new URL(url).origin === server.url.origin)
        .filter((url) => /^\/(examples|sdk)\//.test(new URL(url).pathname))
        .forEach((url) => beside.add(url.split('#')[0] ?? url));
    }
    expect(beside.size).toBeGreaterThan(1);
    const statuses = await Promise.all(
      [...beside].map(async (url) => `${new URL(url).pathname} ${(await fetch(url)).status}`),
    );
    expect(statuses).toEqual([...beside].map((url) => `${new URL(url).pathname} 200`));
  });
});

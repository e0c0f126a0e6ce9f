import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { pageUrl, runCell, waitForOutput } from '../support/pages-server.js';
import { readMetrics, sampleValue } from '../../server/src/test-support/metrics-text.js';
import { until } from '../../server/src/test-support/until.js';
import { REPO_ROOT, TEST_DATA_DIR, startServerProcess } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

interface SavedSession {
  connection: { sessionId: string; kernelId?: string };
  kernelId?: string;
}

describe('a page launching from a warm pool', () => {
  let configDir: string;
  let server: ServerProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let page: Page;
  const kernelStarts: string[] = [];

  beforeAll(async () => {
    configDir = await mkdtemp(join(tmpdir(), 'binder-cell-pools-'));
    const config = join(configDir, 'binder-cell.config.json');
    await writeFile(
      config,
      JSON.stringify({
        examplesDir: `${REPO_ROOT}test/e2e/pages`,
        repos: { local: { quickstart: `${REPO_ROOT}examples/repos/quickstart` } },
        pools: [{ repo: 'local/quickstart', size: 1 }],
        // Its sessions end with it, as every test server's do (the next one would adopt them).
        local: { keepSessions: false },
      }),
    );
    server = await startServerProcess(['--config', config, '--data-dir', TEST_DATA_DIR]);
    const pool = { pool: 'local/quickstart', kernel: 'python3' };
    const poolReady = async () =>
      sampleValue(await readMetrics(server.url), 'binder_cell_pool_sessions', pool) === 1;
    if (!(await until(poolReady, 240_000))) throw new Error('the pool did not fill in 4 minutes');
    chromium = await launchChromium();
    browser = chromium.browser;
    page = await browser.newPage();
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/api\/kernels(\?|$)/.test(request.url())) {
        kernelStarts.push(request.url());
      }
    });
  }, 300_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it("runs the page's cells in the kernel the pool started, starting none", async () => {
    await page.goto(pageUrl(server, 'reuse.html'));
    await runCell(page, 0);
    await waitForOutput(page, 0, 'x is set');
    await runCell(page, 1);
    await waitForOutput(page, 1, '42');
    expect(kernelStarts).toEqual([]);

    const saved = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith('binder-cell:session:'))
        .map((key) => localStorage.getItem(key) ?? ''),
    );
    expect(saved).toHaveLength(1);
    const { connection, kernelId } = JSON.parse(saved[0] as string) as SavedSession;
    expect(connection.kernelId).toBeDefined();
    expect(kernelId).toBe(connection.kernelId);
  });
});

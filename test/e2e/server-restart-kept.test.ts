import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import {
  pageUrl,
  runCell,
  startPagesServer,
  statusOf,
  waitForOutput,
} from '../support/pages-server.js';
import { REPO_ROOT, TEST_DATA_DIR, startServerProcess } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

/** The pages server with `local.keepSessions`: sessions outlive it. */
function startKeepingServer(port = '0'): Promise<ServerProcess> {
  return startServerProcess([
    '--config',
    `${REPO_ROOT}test/e2e/pages/binder-cell.kept.config.json`,
    '--data-dir',
    TEST_DATA_DIR,
    '--port',
    port,
  ]);
}

describe('a server killed (kill -9) and restarted under an open page, sessions kept', () => {
  let server: ServerProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startKeepingServer();
    chromium = await launchChromium();
    browser = chromium.browser;
    page = await browser.newPage();
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
    // A server that does not keep sessions adopts what this test left, and ends it on stop.
    await (await startPagesServer()).stop();
  });

  it('reconnects the cells to the same kernel: variables set before the restart are there', async () => {
    await page.goto(pageUrl(server, 'reuse.html'));
    await runCell(page, 0);
    await waitForOutput(page, 0, 'x is set');

    const killed = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await killed;
    server = await startKeepingServer(server.url.port);

    await runCell(page, 1);
    expect(await waitForOutput(page, 1, '42')).toContain('42');
    expect(await statusOf(page, 0)).toBe('');
    expect(await statusOf(page, 1)).toBe('');
  });
});

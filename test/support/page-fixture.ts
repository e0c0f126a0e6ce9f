import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium.js';
import type { ServerProcess } from './server-process.js';

/** A real server and Chromium with one open page, shared by the tests of a describe block. */
export interface PageFixture {
  /** A test that restarts the server puts the new one here; it is the one stopped at the end. */
  server: ServerProcess;
  browser: Browser;
  page: Page;
}

/**
 * Registers hooks that start a server with `start` and Chromium with one open page before
 * the tests of the calling describe block, and stop both after them. The fields are set
 * once the hooks have run (inside tests, not at describe time).
 */
export function usePageFixture(start: () => Promise<ServerProcess>): PageFixture {
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const fixture: Partial<PageFixture> = {};
  beforeAll(async () => {
    fixture.server = await start();
    chromium = await launchChromium();
    fixture.browser = chromium.browser;
    fixture.page = await chromium.browser.newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await fixture.server?.stop();
  });
  return fixture as PageFixture;
}

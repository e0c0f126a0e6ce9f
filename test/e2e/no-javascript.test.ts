import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { pageUrl, startPagesServer } from '../support/pages-server.js';
import type { ServerProcess } from '../support/server-process.js';

describe('a page of cells with JavaScript off', () => {
  let server: ServerProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startPagesServer();
    chromium = await launchChromium();
    browser = chromium.browser;
    page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.goto(pageUrl(server, 'no-javascript.html'));
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
  });

  it('shows the code as a code block', async () => {
    const code = await page.$eval('binder-cell pre', (pre) => {
      const box = pre.getBoundingClientRect();
      const style = getComputedStyle(pre);
      return {
        text: pre.textContent,
        visible: box.width > 0 && box.height > 0 && style.visibility === 'visible',
        whiteSpace: style.whiteSpace,
        upgraded: pre.parentElement?.shadowRoot !== null,
      };
    });
    expect(code).toEqual({
      text: 'print("still readable")',
      visible: true,
      whiteSpace: 'pre',
      upgraded: false,
    });
  });
});

import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { pageUrl, runCell, startPagesServer, waitForOutput } from '../support/pages-server.js';
import type { ServerProcess } from '../support/server-process.js';

interface SavedSession {
  connection: { sessionId: string; token: string };
}

describe('a session reused across page loads', () => {
  let server: ServerProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let page: Page;
  const launches: string[] = [];

  beforeAll(async () => {
    server = await startPagesServer();
    chromium = await launchChromium();
    browser = chromium.browser;
    page = await browser.newPage();
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/launch')) launches.push(request.url());
    });
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
  });

  const sessionsOnServer = async () =>
    ((await (await fetch(new URL('health', server.url))).json()) as { sessions: number }).sessions;

  it('keeps the kernel, and its variables, when the page is loaded again', async () => {
    await page.goto(pageUrl(server, 'reuse.html'));
    await runCell(page, 0);
    await waitForOutput(page, 0, 'x is set');
    expect(launches).toHaveLength(1);

    await page.reload();
    await runCell(page, 1);
    expect(await waitForOutput(page, 1, '42')).toContain('42');
    expect(launches).toHaveLength(1);
    expect(await sessionsOnServer()).toBe(1);
  });

  it("runs another page's setup cells in the kernel it reuses, once", async () => {
    await page.goto(pageUrl(server, 'reuse-setup.html'));
    await runCell(page, 1);
    expect(await waitForOutput(page, 1, 'sum')).toContain('sum 141 setup ran 1');

    await page.reload();
    await runCell(page, 1);
    expect(await waitForOutput(page, 1, 'sum')).toContain('sum 141 setup ran 1');
    expect(launches).toHaveLength(1);
    await page.goto(pageUrl(server, 'reuse.html'));
  });

  it('launches afresh when the saved session has ended', async () => {
    const saved = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith('binder-cell:session:'))
        .map((key) => localStorage.getItem(key) ?? ''),
    );
    expect(saved).toHaveLength(1);
    const { connection } = JSON.parse(saved[0] as string) as SavedSession;
    const ended = await fetch(new URL(`api/v1/sessions/${connection.sessionId}`, server.url), {
      method: 'DELETE',
      headers: { authorization: `token ${connection.token}` },
    });
    expect(ended.status).toBe(204);

    await page.reload();
    await runCell(page, 1);
    expect(await waitForOutput(page, 1, 'NameError')).toContain("name 'x' is not defined");
    expect(launches).toHaveLength(2);
    await runCell(page, 0);
    await waitForOutput(page, 0, 'x is set');
    await runCell(page, 1);
    await waitForOutput(page, 1, '42');
  });
});

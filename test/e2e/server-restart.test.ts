import { describe, expect, it } from 'vitest';
import { usePageFixture } from '../support/page-fixture.js';
import {
  pageUrl,
  runCell,
  startPagesServer,
  statusOf,
  waitForOutput,
} from '../support/pages-server.js';

describe('a server restart under an open page', () => {
  const fixture = usePageFixture(startPagesServer);

  it('tells the cells the session ended, and Run starts a new one and runs', async () => {
    const { page } = fixture;
    await page.goto(pageUrl(fixture.server, 'reuse.html'));
    await runCell(page, 0);
    await waitForOutput(page, 0, 'x is set');

    // The local backend's sessions end with their server; the page stays open meanwhile.
    await fixture.server.stop();
    // While nothing answers, Run says so at once and is ready again.
    await runCell(page, 1);
    await page.waitForFunction(
      () => {
        const root = document.querySelectorAll('binder-cell')[1]?.shadowRoot;
        const run = root?.querySelector<HTMLButtonElement>('[part="run-button"]');
        const status = root?.querySelector('[part="status"]')?.textContent ?? '';
        return status.includes("Cannot reach the session's server") && run?.disabled === false;
      },
      { timeout: 15_000, polling: 100 },
    );
    fixture.server = await startPagesServer('--port', fixture.server.url.port);
    await page.waitForFunction(
      () =>
        document
          .querySelector('binder-cell')
          ?.shadowRoot?.querySelector('[part="status"]')
          ?.textContent?.includes('The session has ended'),
      { timeout: 120_000, polling: 200 },
    );

    await runCell(page, 1);
    expect(await waitForOutput(page, 1, 'NameError')).toContain("name 'x' is not defined");
    await runCell(page, 0);
    await runCell(page, 1);
    expect(await waitForOutput(page, 1, '42')).toContain('42');
    expect(await statusOf(page, 0)).toBe('');
  });
});

import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { usePageFixture } from '../support/page-fixture.js';
import { startExamplesServer } from '../support/pages-server.js';

/** What the page's `index`th cell shows as output: pre-rendered (slotted) or from a run. */
function outputOf(page: Page, index: number): Promise<{ prerendered: boolean; text: string }> {
  return page.evaluate((i) => {
    const cell = document.querySelectorAll('binder-cell')[i];
    const outputs = cell?.shadowRoot?.querySelector('[part="outputs"]');
    const slot = outputs?.querySelector('slot');
    const shown = slot ? slot.assignedElements() : [outputs];
    return {
      prerendered: slot !== null && slot !== undefined,
      text: shown.map((node) => node?.textContent ?? '').join(''),
    };
  }, index);
}

describe('examples/thebe.html: a Thebe page upgraded by the binder-cell script alone', () => {
  const fixture = usePageFixture(startExamplesServer);

  it('turns the Thebe cells into live cells that keep their pre-rendered output until run', async () => {
    const { page, server } = fixture;
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(new URL('examples/thebe.html', server.url).href);
    await page.waitForFunction(
      () => document.querySelectorAll('binder-cell.thebe-cell').length === 2,
    );
    expect(await page.$$eval('[data-executable]', (nodes) => nodes.length)).toBe(0);
    const globals = await page.evaluate(() => {
      const page = window as unknown as Record<string, unknown>;
      return { same: page.thebe === page.thebelab, kind: typeof page.thebe };
    });
    expect(globals).toEqual({ same: true, kind: 'object' });
    expect(await outputOf(page, 0)).toEqual({
      prerendered: true,
      text: 'squares: [ 1  4  9 16 25] sum: 55',
    });

    await page.evaluate(() =>
      Promise.all(
        Array.from(document.querySelectorAll('binder-cell')).map((cell) =>
          (cell as unknown as { run(): Promise<void> }).run(),
        ),
      ),
    );
    const ran = await outputOf(page, 0);
    expect(ran.prerendered).toBe(false);
    expect(ran.text).toContain('squares: [ 1  4  9 16 25] sum: 55');
    expect(await page.$eval('.thebe-status-field', (node) => node.textContent)).toBe(
      'Kernel ready',
    );
    const figure = await page.waitForFunction(
      () => {
        const img = document
          .querySelectorAll('binder-cell')[1]
          ?.shadowRoot?.querySelector('[part="outputs"] img') as HTMLImageElement | null;
        return img && img.complete && img.naturalWidth > 0 ? img.src.slice(0, 22) : null;
      },
      { timeout: 60_000 },
    );
    expect(await figure.jsonValue()).toBe('data:image/png;base64,');
    expect(errors).toEqual([]);
  });
});

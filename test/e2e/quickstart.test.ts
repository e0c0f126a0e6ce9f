import { execFileSync } from 'node:child_process';
import type { ElementHandle, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { usePageFixture } from '../support/page-fixture.js';
import { startExamplesServer } from '../support/pages-server.js';
import { TEST_DATA_DIR } from '../support/server-process.js';

/** Text of a cell's outputs once it has any, read through its shadow root. */
async function cellOutputs(page: Page, index: number): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (i) => {
      const cell = document.querySelectorAll('binder-cell')[i];
      const outputs = cell?.shadowRoot?.querySelector('[part="outputs"]');
      return outputs?.querySelector('[part~="output"]') ? outputs : null;
    },
    { timeout: 240_000, polling: 100 },
    index,
  );
  return handle as ElementHandle<Element>;
}

function sessionProcesses(): string[] {
  const lines = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes(`${TEST_DATA_DIR}/envs/`));
}

describe('examples/quickstart.html in Chromium, served by the real server', () => {
  const fixture = usePageFixture(startExamplesServer);

  it('serves the examples at / and the SDK at /sdk/', async () => {
    const { server } = fixture;
    const root = await fetch(server.url, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/examples/');
    const sdk = await fetch(new URL('sdk/binder-cell.js', server.url));
    expect(sdk.headers.get('content-type')).toMatch(/javascript/);
  });

  it('runs every cell and shows the printed text, the traceback and the figure', async () => {
    const { page, server } = fixture;
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(new URL('examples/quickstart.html', server.url).href);
    await page.waitForFunction(() => customElements.get('binder-cell') !== undefined);
    const count = await page.$$eval('binder-cell', (cells) => cells.length);
    expect(count).toBeGreaterThanOrEqual(3);

    for (let index = 0; index < count; index += 1) {
      await page.evaluate((i) => {
        const cell = document.querySelectorAll('binder-cell')[i];
        (cell?.shadowRoot?.querySelector('[part="run-button"]') as HTMLButtonElement).click();
      }, index);
      await cellOutputs(page, index);
    }

    const printed = await (await cellOutputs(page, 0)).evaluate((node) => node.textContent);
    expect(printed).toContain('Hello from a live kernel!');

    const traceback = await (
      await cellOutputs(page, 1)
    ).evaluate((node) => ({
      text: node.textContent,
      coloured: node.querySelectorAll('[class^="ansi-"]').length,
    }));
    expect(traceback.text).toContain('ZeroDivisionError');
    expect(traceback.coloured).toBeGreaterThan(0);

    const figure = await page.waitForFunction(
      () => {
        const img = document
          .querySelectorAll('binder-cell')[2]
          ?.shadowRoot?.querySelector('[part="outputs"] img') as HTMLImageElement | null;
        return img && img.complete && img.naturalWidth > 0 ? img.src.slice(0, 22) : null;
      },
      { timeout: 60_000 },
    );
    expect(await figure.jsonValue()).toBe('data:image/png;base64,');
    expect(errors).toEqual([]);
  });

  it('stops its sessions when the server stops', async () => {
    const { server } = fixture;
    expect(sessionProcesses().length).toBeGreaterThan(0);
    expect(await server.stop()).toBe(0);
    expect(sessionProcesses()).toEqual([]);
  });
});

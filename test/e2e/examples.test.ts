import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { downloaded, downloadsOf, validateNotebook } from '../support/notebooks.js';
import { pageUrl, runCell, startExamplesServer, waitForOutput } from '../support/pages-server.js';
import { saveScreenshot } from '../support/screenshots.js';
import type { ServerProcess } from '../support/server-process.js';

/** Long enough for a first launch that builds an environment. */
const LAUNCH_TIMEOUT = 240_000;

interface Opened {
  page: Page;
  /** Uncaught errors of the page so far. */
  errors: string[];
}

/**
 * Waits until `selector` matches inside cell `index`'s shadow root (through nested shadow
 * roots, such as a widget's), with `text` in its text; returns that text.
 */
async function waitInCell(page: Page, index: number, selector: string, text = ''): Promise<string> {
  const handle = await page.waitForFunction(
    (i: number, css: string, wanted: string) => {
      const find = (root: ParentNode): Element | undefined => {
        const hit = Array.from(root.querySelectorAll(css)).find((node) =>
          (node.textContent ?? '').includes(wanted),
        );
        if (hit) return hit;
        for (const host of Array.from(root.querySelectorAll('*'))) {
          const found = host.shadowRoot && find(host.shadowRoot);
          if (found) return found;
        }
        return undefined;
      };
      const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
      const found = root ? find(root) : undefined;
      return found ? (found.textContent ?? '') : null;
    },
    { timeout: LAUNCH_TIMEOUT, polling: 100 },
    index,
    selector,
    text,
  );
  return (await handle.jsonValue()) as string;
}

/** The `src` of the first image drawn (loaded, with a size) in cell `index`'s outputs. */
async function drawnImage(page: Page, index: number, other = ''): Promise<string> {
  const handle = await page.waitForFunction(
    (i: number, old: string) => {
      const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
      const images = Array.from(
        root?.querySelectorAll<HTMLImageElement>('[part="outputs"] img') ?? [],
      );
      const img = images.find((image) => image.complete && image.naturalWidth > 0);
      return img && img.src !== old ? img.src : null;
    },
    { timeout: LAUNCH_TIMEOUT, polling: 100 },
    index,
    other,
  );
  return (await handle.jsonValue()) as string;
}

/** How many images cell `index`'s outputs hold (a figure displayed twice shows as two). */
function imagesIn(page: Page, index: number): Promise<number> {
  return page.evaluate((i: number) => {
    const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
    return root?.querySelectorAll('[part="outputs"] img').length ?? 0;
  }, index);
}

/** Waits until cell `index` has finished its run (its Run button is enabled again). */
async function waitUntilRunEnds(page: Page, index: number): Promise<void> {
  await page.waitForFunction(
    (i: number) => {
      const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
      const button = root?.querySelector<HTMLButtonElement>('[part="run-button"]');
      return button !== null && button !== undefined && !button.disabled;
    },
    { timeout: LAUNCH_TIMEOUT, polling: 100 },
    index,
  );
}

/** Clicks a button of the `index`th `<binder-controls>` by its part name. */
async function clickControl(page: Page, part: string, index = 0): Promise<void> {
  await page.evaluate(
    (name, i) => {
      const controls = document.querySelectorAll('binder-controls')[i];
      (controls?.shadowRoot?.querySelector(`[part="${name}"]`) as HTMLButtonElement).click();
    },
    part,
    index,
  );
}

// One page at a time: the server lets one client have 4 launches under way (launch.maxPendingPerClient).
describe('every example, opened in Chromium against the real server', () => {
  let server: ServerProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startExamplesServer();
    chromium = await launchChromium();
    browser = chromium.browser;
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
  });

  /** Opens an example page; with `sdk` (the default), waits until the SDK has loaded. */
  async function open(name: string, sdk = true): Promise<Opened> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 800 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(pageUrl(server, name));
    if (sdk) await page.waitForFunction(() => customElements.get('binder-cell') !== undefined);
    return { page, errors };
  }

  it('index.html links every example page', async () => {
    const { page } = await open('index.html', false);
    const links = await page.$$eval('a[href$=".html"]', (anchors) =>
      anchors.map((anchor) => anchor.getAttribute('href')),
    );
    expect(links).toEqual(
      expect.arrayContaining([
        'textbook.html',
        'jupyter-book.html',
        'article.html',
        'dashboard.html',
        'two-languages.html',
        'notebook.html',
      ]),
    );
    for (const link of links) {
      const response = await fetch(new URL(`examples/${link}`, server.url));
      expect(response.status, link ?? '').toBe(200);
    }
    await page.close();
  });

  it.each(['light', 'dark'])(
    'the example pages and their cells share one colour scheme: %s',
    async (scheme) => {
      const page = await browser.newPage();
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await page.goto(pageUrl(server, 'textbook.html'));
      await page.waitForFunction(() => customElements.get('binder-cell') !== undefined);
      const backgrounds = await page.evaluate(() => {
        /**
         * Relative luminance (0 black to 1 white) of a computed `rgb(…)` colour; a transparent
         * one counts as white, the canvas of a page that sets no colour scheme.
         */
        const luminance = (colour: string): number => {
          if (/^rgba\(.*,\s*0\)$/.test(colour)) return 1;
          const [r = 0, g = 0, b = 0] = (colour.match(/\d+(\.\d+)?/g) ?? []).map(Number);
          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        };
        const probe = document.createElement('div');
        document.body.append(probe);
        const cell = document.querySelector('binder-cell:not([hidden])') as HTMLElement;
        probe.style.background = getComputedStyle(cell).getPropertyValue(
          '--binder-cell-background',
        );
        const result = {
          page: luminance(getComputedStyle(document.body).backgroundColor),
          text: luminance(getComputedStyle(document.body).color),
          cell: luminance(getComputedStyle(probe).backgroundColor),
        };
        probe.remove();
        return result;
      });
      const dark = scheme === 'dark';
      expect(backgrounds.page < 0.5, 'page background dark').toBe(dark);
      expect(backgrounds.text < 0.5, 'page text dark').toBe(!dark);
      expect(backgrounds.cell < 0.5, 'cell background dark').toBe(dark);
      await page.close();
    },
  );

  it('textbook.html: cells build on each other, the exercise is checked, and the chapter downloads as a valid notebook', async () => {
    const { page, errors } = await open('textbook.html');
    // Cell 0 is the hidden setup cell; 1 and 2 use what it imported; 3 is the exercise, 4 its check.
    await clickControl(page, 'run-all-button');
    expect(await waitForOutput(page, 1, 'steps; y(4)')).toMatch(/y\(4\) ≈ 0\.0\d+, exact 0\.0025/);
    await drawnImage(page, 2);
    expect(await waitForOutput(page, 4, 'Not yet')).toContain('gave None, expected 0.9');

    // The reader edits the exercise, runs it and the check again.
    await page.evaluate(() =>
      (document.getElementById('exercise') as unknown as { edit(): Promise<void> }).edit(),
    );
    await page.keyboard.down('Control');
    await page.keyboard.press('a');
    await page.keyboard.up('Control');
    await page.keyboard.sendCharacter('def euler_step(f, t, y, h):\n    return y + h * f(t, y)\n');
    await runCell(page, 3);
    await runCell(page, 4);
    expect(await waitForOutput(page, 4, 'Correct')).toContain('euler_step takes one Euler step');
    await saveScreenshot(page, 'textbook');

    const folder = await downloadsOf(page);
    await clickControl(page, 'download-button');
    const notebook = await validateNotebook(await downloaded(folder, 'textbook.ipynb'));
    expect(notebook.metadata.kernelspec.name).toBe('python3');
    expect(notebook.metadata.language_info.name).toBe('python');
    expect(notebook.cells).toHaveLength(5);
    const [setup, first, plot, exercise, check] = notebook.cells;
    expect(setup?.metadata).toEqual({ jupyter: { source_hidden: true }, tags: ['setup'] });
    expect(first?.execution_count).toBeGreaterThan(0);
    expect(plot?.outputs.some((output) => output.data?.['image/png'] !== undefined)).toBe(true);
    expect(exercise?.source.join('')).toContain('return y + h * f(t, y)');
    expect(check?.outputs[0]?.text?.join('')).toContain('Correct');
    // The check prints its verdict and shows no value (such as a stray `True`) after it.
    expect(check?.outputs).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('article.html: the published figure shows first; Run draws it once from the data and the slider redraws it once', async () => {
    const { page, errors } = await open('article.html');
    const published = await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#figure-2 > [slot="output"] img');
      return img && img.complete && img.naturalWidth > 0 ? img.src : null;
    });
    expect(await published.jsonValue()).toMatch(/images\/article-figure-2\.png$/);

    await runCell(page, 0);
    await waitInCell(page, 0, 'binder-widget-view .widget-slider', 'Window (years)');
    const first = await drawnImage(page, 0);
    expect(first).toMatch(/^data:image\/png;base64,/);
    // interact draws the figure while the cell runs: once its run ends, every output is in.
    await waitUntilRunEnds(page, 0);
    expect(await imagesIn(page, 0)).toBe(1);
    expect(await waitInCell(page, 0, '.widget-readout')).toBe('5');
    const handle = await page.waitForSelector('binder-cell >>> .noUi-handle');
    await handle?.focus();
    await page.keyboard.press('ArrowRight');
    expect(await waitInCell(page, 0, '.widget-readout', '7')).toBe('7');
    await drawnImage(page, 0, first);
    expect(await imagesIn(page, 0)).toBe(1);
    await saveScreenshot(page, 'article');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('dashboard.html: runs as it loads, code hidden; the dropdown redraws the Plotly chart, Altair and the table show', async () => {
    const { page, errors } = await open('dashboard.html');
    // Cell 0 is the hidden setup cell; 1 the Plotly trend, 2 the Altair chart, 3 the table.
    const traces = (count: number) =>
      page.waitForFunction(
        (wanted: number) => {
          const root = document.getElementById('trend')?.shadowRoot;
          return root?.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length === wanted;
        },
        { timeout: LAUNCH_TIMEOUT, polling: 100 },
        count,
      );
    await traces(4);
    await waitInCell(page, 2, '.vega-embed');
    await page.waitForSelector(
      'binder-cell#revenue >>> .vega-embed canvas, binder-cell#revenue >>> .vega-embed svg',
      {
        timeout: LAUNCH_TIMEOUT,
      },
    );
    expect(await waitInCell(page, 3, 'table', 'month')).toContain('region');
    const codeShown = await page.evaluate(() =>
      Array.from(document.querySelectorAll('binder-cell[code-hidden]')).map((cell) => {
        const code = cell.shadowRoot?.querySelector('[part="code"]') as Element;
        return getComputedStyle(code).display;
      }),
    );
    expect(codeShown).toEqual(['none', 'none', 'none']);

    await page.evaluate(() => {
      const root = document.getElementById('trend')?.shadowRoot;
      const select = root?.querySelector('binder-widget-view select') as HTMLSelectElement;
      select.value = 'North';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await traces(1);
    await saveScreenshot(page, 'dashboard');

    // At a phone's width and at common desktop ones, every row of panels reaches the grid's
    // right edge (no empty column) and nothing in a panel reaches past its right edge.
    for (const width of [400, 1200, 1700]) {
      await page.setViewport({ width, height: 900 });
      // Charts follow their panel's width a few frames after the resize: measure each frame
      // until the layout is right, for at most 120 frames, and report the last measurement.
      const layout = await page.evaluate(
        () =>
          new Promise<{ rowsShort: number; overflowing: string[] }>((resolve) => {
            const measure = () => {
              const grid = document.querySelector('.dashboard') as HTMLElement;
              const right = grid.getBoundingClientRect().right;
              const panels = Array.from(grid.querySelectorAll<HTMLElement>('.panel'));
              const rowEnds = new Map<number, number>();
              for (const panel of panels) {
                const box = panel.getBoundingClientRect();
                const top = Math.round(box.top);
                rowEnds.set(top, Math.max(rowEnds.get(top) ?? 0, box.right));
              }
              return {
                rowsShort: Array.from(rowEnds.values()).filter((end) => right - end > 1).length,
                overflowing: panels
                  .filter((panel) => {
                    // A cell's outputs clip what is too wide: look at every element inside
                    // each cell (through shadow roots) against the cell's own right edge.
                    const wider = (root: ParentNode, edge: number): boolean =>
                      Array.from(root.querySelectorAll('*')).some(
                        (element) =>
                          element.getBoundingClientRect().right - edge > 1 ||
                          (element.shadowRoot !== null && wider(element.shadowRoot, edge)),
                      );
                    return (
                      wider(panel, panel.getBoundingClientRect().right) ||
                      Array.from(panel.querySelectorAll('binder-cell')).some(
                        (cell) =>
                          cell.shadowRoot !== null &&
                          wider(cell.shadowRoot, cell.getBoundingClientRect().right),
                      )
                    );
                  })
                  .map((panel) => panel.querySelector('h2')?.textContent ?? ''),
              };
            };
            let frames = 0;
            const next = () => {
              const found = measure();
              frames += 1;
              if ((found.rowsShort === 0 && found.overflowing.length === 0) || frames === 120) {
                resolve(found);
              } else {
                requestAnimationFrame(next);
              }
            };
            requestAnimationFrame(next);
          }),
      );
      expect(layout, `at ${width} px`).toEqual({ rowsShort: 0, overflowing: [] });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('two-languages.html: a Python kernel and an R kernel on one page, each group exported as its own notebook', async () => {
    const { page, errors } = await open('two-languages.html');
    await runCell(page, 0);
    await runCell(page, 1);
    await runCell(page, 2);
    expect(await waitForOutput(page, 0, 'Gentoo')).toMatch(/Python 3\.\d+/);
    const r = await waitForOutput(page, 1, 'Gentoo');
    expect(r).toMatch(/R version 4\.\d+/);
    expect(r).toContain('body_mass_g');
    await drawnImage(page, 2);
    const kernels = await page.evaluate(() =>
      Array.from(document.querySelectorAll('binder-cell')).map(
        (cell) =>
          (cell as unknown as { session: { settings: { kernel: string } } }).session.settings
            .kernel,
      ),
    );
    expect(kernels).toEqual(['python3', 'ir', 'ir']);
    await saveScreenshot(page, 'two-languages');

    const folder = await downloadsOf(page);
    await clickControl(page, 'download-button', 0);
    await clickControl(page, 'download-button', 1);
    const python = await validateNotebook(await downloaded(folder, 'two-languages-python.ipynb'));
    const rNotebook = await validateNotebook(await downloaded(folder, 'two-languages-r.ipynb'));
    expect(python.metadata.kernelspec.name).toBe('python3');
    expect(python.cells).toHaveLength(1);
    expect(rNotebook.metadata.kernelspec).toMatchObject({ name: 'ir', language: 'R' });
    expect(rNotebook.metadata.language_info.name).toBe('R');
    expect(rNotebook.cells).toHaveLength(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('jupyter-book.html: the book theme cells, a Thebe code block and a <binder-cell> share one kernel', async () => {
    const { page, errors } = await open('jupyter-book.html');
    await page.waitForFunction(() => document.querySelectorAll('binder-cell').length === 4);
    const cells = await page.evaluate(() =>
      Array.from(document.querySelectorAll('binder-cell')).map((cell) => ({
        setup: cell.hasAttribute('setup'),
        prerendered: cell.querySelector('[slot="output"]')?.textContent?.trim() ?? '',
      })),
    );
    expect(cells.map((cell) => cell.setup)).toEqual([true, false, false, false]);
    expect(cells[1]?.prerendered).toBe('At 3% a year, an amount doubles in 23.4 years.');

    await page.evaluate(() =>
      Promise.all(
        Array.from(document.querySelectorAll('binder-cell'))
          .slice(1)
          .map((cell) => (cell as unknown as { run(): Promise<void> }).run()),
      ),
    );
    expect(await waitForOutput(page, 1, 'doubles in 23.4 years')).toContain('At 3% a year');
    expect(await waitForOutput(page, 2, '0.07 10.2')).toContain('0.01 69.7');
    await drawnImage(page, 3);
    await saveScreenshot(page, 'jupyter-book');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("notebook.html: nbconvert's lab HTML, its code cells live with their saved outputs until run", async () => {
    const { page, errors } = await open('notebook.html');
    await page.waitForFunction(
      () => document.querySelectorAll('binder-cell.thebe-cell').length === 3,
    );
    const saved = await page.evaluate(
      () => document.querySelector('binder-cell > [slot="output"]')?.textContent?.trim() ?? '',
    );
    expect(saved).toBe('population mean 1.995');

    await page.evaluate(() =>
      Promise.all(
        Array.from(document.querySelectorAll('binder-cell')).map((cell) =>
          (cell as unknown as { run(): Promise<void> }).run(),
        ),
      ),
    );
    expect(await waitForOutput(page, 0, 'population mean')).toContain('1.995');
    expect(await waitForOutput(page, 1, '0.')).toMatch(/0\.\d+/);
    await drawnImage(page, 2);
    await saveScreenshot(page, 'notebook');
    expect(errors).toEqual([]);
    await page.close();
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { runCell, startExamplesServer } from '../support/pages-server.js';
import type { ServerProcess } from '../support/server-process.js';

const LAUNCH_TIMEOUT = 240_000;

/** Waits until `selector` matches inside cell `index`'s shadow root; returns its text. */
async function waitInCell(page: Page, index: number, selector: string, text = ''): Promise<string> {
  const handle = await page.waitForFunction(
    (i: number, css: string, wanted: string) => {
      const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
      const nodes: Element[] = root ? Array.from(root.querySelectorAll(css)) : [];
      const found = nodes.find((node) => (node.textContent ?? '').includes(wanted));
      return found ? (found.textContent ?? '') : null;
    },
    { timeout: LAUNCH_TIMEOUT, polling: 100 },
    index,
    selector,
    text,
  );
  return (await handle.jsonValue()) as string;
}

function figureSource(page: Page, index: number): Promise<string | null> {
  return page.evaluate((i) => {
    const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
    const img = root?.querySelector<HTMLImageElement>('binder-widget-view img');
    return img && img.complete && img.naturalWidth > 0 ? img.src : null;
  }, index);
}

const HELLO_WIDGET_MODULE = `define(['@jupyter-widgets/base'], function (base) {
  class HelloView extends base.DOMWidgetView {
    render() {
      this.el.classList.add('hello');
      this.el.textContent = this.model.get('value');
    }
  }
  return { HelloView };
});`;

const HELLO_WIDGET_PAGE = `<!doctype html>
<html lang="en"><head><title>third-party widget</title>
<script type="module" src="/sdk/binder-cell.js"></script></head>
<body>
<binder-config repo="local/quickstart" widgets-url="modules/{name}@{version}/index.js"></binder-config>
<binder-cell><pre>
import ipywidgets as widgets
from traitlets import Unicode

class Hello(widgets.DOMWidget):
    _view_name = Unicode("HelloView").tag(sync=True)
    _view_module = Unicode("hello-widget").tag(sync=True)
    _view_module_version = Unicode("^0.1.0").tag(sync=True)
    value = Unicode().tag(sync=True)

Hello(value="Hello from a third-party module")
</pre></binder-cell>
</body></html>`;

describe('ipywidgets in Chromium, on the real server', () => {
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

  it('drives a matplotlib figure with an IntSlider, and runs buttons, layouts and Output widgets', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(new URL('examples/widgets.html', server.url).href);
    await page.waitForFunction(() => customElements.get('binder-cell') !== undefined);

    // Cell 0 is the hidden setup cell; cell 1 draws the figure through interact.
    await runCell(page, 1);
    await waitInCell(page, 1, 'binder-widget-view .widget-slider');
    const first = await page.waitForFunction(
      (i) => {
        const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
        const img = root?.querySelector<HTMLImageElement>('binder-widget-view img');
        return img && img.complete && img.naturalWidth > 0 ? img.src : null;
      },
      { timeout: 60_000 },
      1,
    );
    const before = (await first.jsonValue()) as string;
    expect(await waitInCell(page, 1, '.widget-readout')).toBe('2');

    const handle = await page.waitForSelector('binder-cell >>> .noUi-handle');
    await handle?.focus();
    await page.keyboard.press('ArrowRight');
    expect(await waitInCell(page, 1, '.widget-readout', '3')).toBe('3');
    await page.waitForFunction(
      (i, old) => {
        const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
        const img = root?.querySelector<HTMLImageElement>('binder-widget-view img');
        return img && img.complete && img.naturalWidth > 0 && img.src !== old;
      },
      { timeout: 60_000 },
      1,
      before,
    );
    expect(await figureSource(page, 1)).not.toBe(before);

    // The kernel sees the value the reader set.
    await runCell(page, 3);
    expect(await waitInCell(page, 3, '[part~="output"]', 'The slider is at')).toContain(
      'The slider is at 3',
    );

    // A button in a layout, printing into an Output widget.
    await runCell(page, 2);
    await waitInCell(page, 2, 'binder-widget-view .widget-hbox button', 'Click me');
    for (let click = 0; click < 2; click += 1) {
      await page.evaluate(() => {
        const root = document.querySelectorAll('binder-cell')[2]?.shadowRoot;
        (
          root?.querySelector('binder-widget-view .widget-hbox button') as HTMLButtonElement
        ).click();
      });
    }
    expect(
      await waitInCell(page, 2, '.jupyter-widgets-output-area', 'Clicked 2 time(s)'),
    ).toContain('Clicked 1 time(s)');
    const cellOwnStreams = await page.evaluate(
      () =>
        document
          .querySelectorAll('binder-cell')[2]
          ?.shadowRoot?.querySelectorAll('[part="outputs"] > [part~="stream"]').length,
    );
    expect(cellOwnStreams).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws tqdm.auto's progress bar as a widget on local/plots, with no IProgress warning", async () => {
    const page = await browser.newPage();
    await page.goto(new URL('examples/plots.html', server.url).href);
    await page.waitForFunction(() => customElements.get('binder-cell') !== undefined);
    const index = await page.evaluate(() =>
      Array.from(document.querySelectorAll('binder-cell')).findIndex((cell) =>
        cell.textContent?.includes('tqdm.auto'),
      ),
    );
    expect(index).toBeGreaterThanOrEqual(0);
    await runCell(page, index);
    expect(await waitInCell(page, index, 'binder-widget-view', '20/20')).toContain('100%');
    const shown = await page.evaluate((i) => {
      const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
      const bar = root?.querySelector<HTMLElement>(
        'binder-widget-view .widget-hprogress .progress-bar',
      );
      return {
        bar: bar?.style.width,
        outputs: root?.querySelector('[part="outputs"]')?.textContent,
      };
    }, index);
    expect(shown.bar).toBe('100%');
    expect(shown.outputs).not.toContain('IProgress');
    await page.close();
  });
});

describe('a third-party widget module', () => {
  let server: ServerProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let pages: string;

  beforeAll(async () => {
    pages = await mkdtemp(join(tmpdir(), 'binder-cell-widget-pages-'));
    await mkdir(join(pages, 'modules/hello-widget@0.1.0'), { recursive: true });
    await writeFile(join(pages, 'modules/hello-widget@0.1.0/index.js'), HELLO_WIDGET_MODULE);
    await writeFile(join(pages, 'hello.html'), HELLO_WIDGET_PAGE);
    server = await startExamplesServer('--examples', pages);
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
    await rm(pages, { recursive: true, force: true });
  });

  it('loads from the configured URL and shows its view', async () => {
    const page = await chromium.browser.newPage();
    const moduleRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/modules/')) moduleRequests.push(new URL(request.url()).pathname);
    });
    await page.goto(new URL('examples/hello.html', server.url).href);
    await page.waitForFunction(() => customElements.get('binder-cell') !== undefined);
    await runCell(page, 0);
    expect(await waitInCell(page, 0, 'binder-widget-view .hello')).toBe(
      'Hello from a third-party module',
    );
    expect(moduleRequests).toEqual(['/examples/modules/hello-widget@0.1.0/index.js']);
    await page.close();
  });
});

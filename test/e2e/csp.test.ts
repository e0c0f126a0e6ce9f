import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, HTTPResponse, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { runCell, startPagesServer, waitForOutput } from '../support/pages-server.js';
import type { ServerProcess } from '../support/server-process.js';

/**
 * The strictest policy a page with cells needs: scripts only from the binder-cell server,
 * no inline scripts or styles, no eval; connections only to that server (its launch API
 * and its kernels' WebSockets). Lit's styles are constructed stylesheets, which style-src
 * does not govern.
 */
function policy(server: URL): string {
  const origin = server.origin;
  return [
    "default-src 'none'",
    `script-src ${origin}`,
    "style-src 'self'",
    'img-src data:',
    `connect-src ${origin} ${origin.replace(/^http/, 'ws')}`,
    "base-uri 'none'",
  ].join('; ');
}

/** Cells 1 to 5: plots and a DataFrame, whose renderers must not need what the policy refuses. */
const PLOT_CELLS = [
  'import plotly.express as px\npx.line(x=[1, 2, 3], y=[3, 1, 2])',
  'import altair as alt, pandas as pd\n' +
    'alt.Chart(pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})).mark_line().encode(x="x", y="y")',
  'from bokeh.io import output_notebook\noutput_notebook()',
  'from bokeh.plotting import figure, show\np = figure(width=300, height=200)\n' +
    'p.line([1, 2, 3], [3, 1, 2])\nshow(p)',
  'pd.DataFrame({"a": [1, 2.5, 3], "b": ["x", "y", "z"]})',
];

/** What cell `index` shows once drawn, looking into shadow roots (Bokeh's views have their own). */
async function waitForDrawn(page: Page, index: number, selector: string): Promise<void> {
  await page.waitForFunction(
    (i, wanted) => {
      const find = (root: ParentNode): Element | null =>
        root.querySelector(wanted) ??
        Array.from(root.querySelectorAll('*')).reduce<Element | null>(
          (found, element) => found ?? (element.shadowRoot ? find(element.shadowRoot) : null),
          null,
        );
      const cell = document.querySelectorAll('binder-cell')[i];
      const outputs = cell?.shadowRoot?.querySelector('[part="outputs"]');
      return outputs ? find(outputs) !== null : false;
    },
    { timeout: 240_000, polling: 200 },
    index,
    selector,
  );
}

/** Cell 6: HTML whose script, event handler and inline style the policy would refuse. */
const HTML_WITH_SCRIPT_CELL =
  'from IPython.display import HTML\n' +
  'HTML(\'&lt;p style="font-weight: bold" onclick="alert(1)"&gt;kept&lt;/p&gt;' +
  "&lt;script&gt;alert(1)&lt;/script&gt;')";

function pageHtml(server: URL): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>A page with a strict Content-Security-Policy</title>
    <script type="module" src="${new URL('sdk/binder-cell.js', server).href}"></script>
  </head>
  <body>
    <binder-config repo="local/quickstart"></binder-config>
    <binder-cell><pre>
from IPython.display import Markdown, display
print("hello under CSP")
print("\\x1b[38;5;208morange\\x1b[0m \\x1b[7mreverse\\x1b[0m")
display(Markdown("The **square**: $x^2$"))
1 / 0
    </pre></binder-cell>
${PLOT_CELLS.map((code) => `    <binder-cell repo="local/plots"><pre>${code}</pre></binder-cell>`).join('\n')}
    <binder-cell><pre>${HTML_WITH_SCRIPT_CELL}</pre></binder-cell>
  </body>
</html>`;
}

declare global {
  interface Window {
    cspViolations: string[];
  }
}

describe('a page with a strict Content-Security-Policy, on its own origin', () => {
  let server: ServerProcess;
  let pageServer: Server;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let page: Page;
  let served: HTTPResponse | null;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await startPagesServer();
    pageServer = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': policy(server.url),
      });
      res.end(pageHtml(server.url));
    });
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    chromium = await launchChromium();
    browser = chromium.browser;
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.evaluateOnNewDocument(() => {
      window.cspViolations = [];
      document.addEventListener(
        'securitypolicyviolation',
        (event) =>
          window.cspViolations.push(
            `${event.violatedDirective} ${event.blockedURI} from ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`,
          ),
        true,
      );
    });
    const { port } = pageServer.address() as AddressInfo;
    served = await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => customElements.get('binder-cell') !== undefined);
  });

  afterAll(async () => {
    await chromium?.close();
    await new Promise((resolve) => pageServer?.close(resolve));
    await server?.stop();
  });

  it('is served with the policy, and the SDK loads under it', () => {
    expect(served?.headers()['content-security-policy']).toBe(policy(server.url));
  });

  it('highlights the code before the editor loads', async () => {
    const keyword = await page.waitForFunction(() => {
      const root = document.querySelector('binder-cell')?.shadowRoot;
      const span = root?.querySelector('pre .tok-keyword');
      return span && !root?.querySelector('.cm-editor')
        ? { text: span.textContent, color: getComputedStyle(span).color }
        : null;
    });
    expect(await keyword.jsonValue()).toEqual({ text: 'from', color: 'rgb(207, 34, 46)' });
  });

  it('runs a cell and shows text, colours, typeset Markdown and a coloured traceback', async () => {
    await runCell(page, 0);
    const text = await waitForOutput(page, 0, 'ZeroDivisionError');
    expect(text).toContain('hello under CSP');
    const rendered = await page.waitForFunction(() => {
      const outputs = document
        .querySelector('binder-cell')
        ?.shadowRoot?.querySelector('[part="outputs"]');
      if (!outputs) return null;
      const math = outputs.querySelector('[part~="markdown"] math msup');
      const coloured = outputs.querySelectorAll('.error [class*="ansi-"]').length;
      const span = (text: string) =>
        Array.from(outputs.querySelectorAll('[part~="stream"] span')).find(
          (element) => element.textContent === text,
        );
      const [orange, reverse] = [span('orange'), span('reverse')];
      return math && coloured > 0 && orange && reverse
        ? {
            strong: outputs.querySelector('[part~="markdown"] strong')?.textContent,
            orange: getComputedStyle(orange).color,
            reversed: getComputedStyle(reverse).color === getComputedStyle(outputs).backgroundColor,
            styleAttributes: outputs.querySelectorAll('[style]').length,
          }
        : null;
    });
    expect(await rendered.jsonValue()).toEqual({
      strong: 'square',
      orange: 'rgb(255, 135, 0)',
      reversed: true,
      styleAttributes: 0,
    });
  });

  it('loads the editor, with highlighting', async () => {
    await page.evaluate(() => (document.querySelector('binder-cell') as HTMLElement).focus());
    await page.waitForFunction(() =>
      document.querySelector('binder-cell')?.shadowRoot?.querySelector('.cm-editor .cm-line'),
    );
    const highlighted = await page.evaluate(() => {
      const root = document.querySelector('binder-cell')?.shadowRoot;
      const keyword = Array.from(root?.querySelectorAll('.cm-line span') ?? []).find(
        (span) => span.textContent === 'from',
      );
      const content = root?.querySelector('.cm-content');
      return keyword && content
        ? getComputedStyle(keyword).color !== getComputedStyle(content).color
        : false;
    });
    expect(highlighted).toBe(true);
  });

  it('draws Plotly, Altair and Bokeh plots and a DataFrame', async () => {
    const drawn = [
      '.js-plotly-plot .scatterlayer .trace path.js-line',
      'svg .mark-line path',
      '.plot',
      'canvas',
      'table.dataframe tbody tr',
    ];
    for (const [offset, selector] of drawn.entries()) {
      await runCell(page, offset + 1);
      await waitForDrawn(page, offset + 1, selector);
    }
    await waitForOutput(page, 3, 'successfully loaded.');
    const problems = await page.evaluate(() =>
      Array.from(document.querySelectorAll('binder-cell')).flatMap((cell) =>
        Array.from(cell.shadowRoot?.querySelectorAll('.plot-problem, [part~="note"]') ?? []).map(
          (problem) => problem.textContent,
        ),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('shows HTML without its script, with a note saying so', async () => {
    await runCell(page, 6);
    const text = await waitForOutput(page, 6, 'kept');
    expect(text).toContain('This output runs JavaScript, which this page does not allow');
    const kept = await page.evaluate(() => {
      const outputs = document
        .querySelectorAll('binder-cell')[6]
        ?.shadowRoot?.querySelector('[part="outputs"]');
      const paragraph = outputs?.querySelector('.html p');
      return {
        bold: paragraph ? getComputedStyle(paragraph).fontWeight : null,
        handler: paragraph?.hasAttribute('onclick'),
        scripts: outputs?.querySelectorAll('script').length,
      };
    });
    expect(kept).toEqual({ bold: '700', handler: false, scripts: 0 });
  });

  it('breaks none of the policy', async () => {
    expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
    expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
  });
});

/**
 * A page of 50 cells in Chromium, served by the real server (local backend): how long until
 * every cell is upgraded, against the same page without the SDK, and how long Run takes to
 * show a cell's first output once the session is running. Needs a built SDK (npm run build).
 *
 *   npm run bench:page [-- --runs 10]
 */
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../test/support/chromium.js';
import { servePages } from './page-server.js';
import { formatMs, summarize } from './stats.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const CELLS = 50;
const UPGRADED = 'binder-cells-upgraded';

function pageHtml(withSdk: boolean): string {
  const cells = Array.from(
    { length: CELLS },
    (_, i) => `<h2>Cell ${i}</h2>\n<binder-cell><pre>print(${i})</pre></binder-cell>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>${CELLS} cells</title>
${withSdk ? '<script type="module" src="/sdk/binder-cell.js"></script>' : ''}
</head>
<body>
<binder-config repo="local/quickstart"></binder-config>
${cells.join('\n')}
</body>
</html>
`;
}

interface LoadTiming {
  domContentLoaded: number;
  load: number;
  /** Every cell defined and rendered with its Run button; absent without the SDK. */
  upgraded?: number;
}

/** Loads `url` in a fresh browser context (nothing cached); times from navigation start. */
async function timedLoad(browser: Browser, url: string, withSdk: boolean): Promise<LoadTiming> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    if (withSdk) await page.evaluateOnNewDocument(markUpgraded, UPGRADED);
    await page.goto(url, { waitUntil: 'load' });
    const upgraded = withSdk ? await upgradedAt(page) : undefined;
    const navigation = await page.evaluate(() => {
      const [entry] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      return { domContentLoaded: entry?.domContentLoadedEventEnd, load: entry?.loadEventStart };
    });
    if (!navigation.domContentLoaded || !navigation.load) throw new Error('no navigation timing');
    return { domContentLoaded: navigation.domContentLoaded, load: navigation.load, upgraded };
  } finally {
    await context.close();
  }
}

/** A custom element built with lit: resolves once it has rendered. */
type LitElementLike = Element & { updateComplete: Promise<boolean> };

/** In the page, before its scripts: a performance mark once every cell has rendered. */
function markUpgraded(mark: string): void {
  void customElements.whenDefined('binder-cell').then(async () => {
    const cells = Array.from(document.querySelectorAll<LitElementLike>('binder-cell'));
    await Promise.all(cells.map((cell) => cell.updateComplete));
    const rendered = cells.filter((cell) => cell.shadowRoot?.querySelector('[part="run-button"]'));
    performance.mark(mark, { detail: rendered.length });
  });
}

async function upgradedAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    (mark) => {
      const entry = performance.getEntriesByName(mark)[0] as PerformanceMark | undefined;
      return entry && { startTime: entry.startTime, detail: entry.detail as number };
    },
    {},
    UPGRADED,
  );
  const { startTime, detail } = (await handle.jsonValue()) as { startTime: number; detail: number };
  if (detail !== CELLS) throw new Error(`${detail} of ${CELLS} cells rendered`);
  return startTime;
}

/** Clicks Run on cell `index`; milliseconds until an output is in its shadow DOM, and its text. */
function clickRun(page: Page, index: number): Promise<{ ms: number; text: string }> {
  return page.evaluate(
    (i) =>
      new Promise<{ ms: number; text: string }>((resolve, reject) => {
        const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
        const button = root?.querySelector<HTMLButtonElement>('[part="run-button"]');
        if (!root || !button) return reject(new Error(`cell ${i} has no Run button`));
        const observer = new MutationObserver(() => {
          const output = root.querySelector('[part="outputs"] [part~="output"]');
          if (!output) return;
          observer.disconnect();
          resolve({ ms: performance.now() - start, text: output.textContent ?? '' });
        });
        observer.observe(root, { childList: true, subtree: true, characterData: true });
        const start = performance.now();
        button.click();
      }),
    index,
  );
}

/** Waits for cell `index`'s run to end (its Run button enabled again). */
async function idle(page: Page, index: number): Promise<void> {
  await page.waitForFunction(
    (i) => {
      const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
      return root?.querySelector<HTMLButtonElement>('[part="run-button"]')?.disabled === false;
    },
    { timeout: 60_000 },
    index,
  );
}

/** Runs cell 0, which launches the session (building its environment the first time). */
async function launchSession(page: Page): Promise<number> {
  const start = performance.now();
  await page.evaluate(() => {
    const root = document.querySelector('binder-cell')?.shadowRoot;
    root?.querySelector<HTMLButtonElement>('[part="run-button"]')?.click();
  });
  const outcome = await page.waitForFunction(
    () => {
      const root = document.querySelector('binder-cell')?.shadowRoot;
      const output = root?.querySelector('[part="outputs"] [part~="output"]');
      const problem = root?.querySelector('[part="status"].problem');
      return output || problem
        ? { output: output?.textContent, problem: problem?.textContent }
        : null;
    },
    { timeout: 900_000, polling: 100 },
  );
  const { output, problem } = (await outcome.jsonValue()) as { output?: string; problem?: string };
  if (output?.trim() !== '0') throw new Error(`the first run failed: ${problem ?? output}`);
  await idle(page, 0);
  return performance.now() - start;
}

async function runOutput(page: Page, index: number): Promise<number> {
  const { ms, text } = await clickRun(page, index);
  if (text.trim() !== String(index)) throw new Error(`cell ${index} showed ${text}`);
  await idle(page, index);
  return ms;
}

const pages = await servePages({ 'cells.html': pageHtml(true), 'plain.html': pageHtml(false) });
const chromium = await launchChromium();
try {
  const withSdkUrl = pages.url('cells.html');
  const plainUrl = pages.url('plain.html');

  const plain: LoadTiming[] = [];
  const withSdk: LoadTiming[] = [];
  for (let run = 0; run < runs; run += 1) {
    plain.push(await timedLoad(chromium.browser, plainUrl, false));
    withSdk.push(await timedLoad(chromium.browser, withSdkUrl, true));
  }

  const page = await chromium.browser.newPage();
  await page.goto(withSdkUrl);
  const launchMs = await launchSession(page);
  const runMs: number[] = [];
  for (let index = 1; index < CELLS; index += 1) runMs.push(await runOutput(page, index));

  const median = (timings: LoadTiming[], key: keyof LoadTiming) =>
    summarize(timings.map((timing) => timing[key] ?? NaN)).p50;
  const column = (value: number | undefined, width: number) =>
    (value === undefined ? '-' : formatMs(value)).padStart(width);
  console.log(
    `${CELLS}-cell page in headless Chromium, served from localhost by the local backend;`,
  );
  console.log(`medians of ${runs} loads, each in a fresh browser context (nothing cached),`);
  console.log('times from navigation start');
  console.log(
    `${''.padEnd(20)}${'DOMContentLoaded'.padStart(18)}${'load'.padStart(12)}${'cells upgraded'.padStart(16)}`,
  );
  for (const [name, timings, upgraded] of [
    ['plain page, no SDK', plain, undefined],
    ['page with the SDK', withSdk, median(withSdk, 'upgraded')],
  ] as const) {
    console.log(
      `${name.padEnd(20)}${column(median(timings, 'domContentLoaded'), 18)}${column(median(timings, 'load'), 12)}${column(upgraded, 16)}`,
    );
  }
  console.log(
    `cells upgraded - plain page DOMContentLoaded: ${formatMs(median(withSdk, 'upgraded') - median(plain, 'domContentLoaded'))}`,
  );
  console.log(`first Run, launching the session: ${(launchMs / 1000).toFixed(2)} s`);
  const { p50, p90 } = summarize(runMs);
  console.log(
    `Run to first output on the running session (print(i), ${runMs.length} cells): p50 ${formatMs(p50)}  p90 ${formatMs(p90)}`,
  );
} finally {
  await chromium.close();
  await pages.close();
}

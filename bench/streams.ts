/**
 * Long stream outputs in Chromium, served by the real server (local backend): for each
 * case, how long the run takes from the click on Run to the cell being idle again, the
 * longest gap between two animation frames meanwhile (how long the tab could not paint
 * or answer input), how many characters the output puts in the page, and how long
 * "Show all" takes to render every line kept. Needs a built SDK (npm run build).
 *
 *   npm run bench:streams [-- --runs 3]
 */
import { parseArgs } from 'node:util';
import type { Page } from 'puppeteer-core';
import { launchChromium } from '../test/support/chromium.js';
import { servePages } from './page-server.js';
import { formatMs, summarize } from './stats.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);

const CASES = [
  { name: '200,000 prints', code: 'for i in range(200_000):\n    print(i)' },
  { name: 'one print of 500,000 lines', code: 'print("\\n".join(map(str, range(500_000))))' },
  { name: '20,000 flushed prints', code: 'for i in range(20_000):\n    print(i, flush=True)' },
];

function pageHtml(): string {
  const cells = ['print("ready")', ...CASES.map((c) => c.code)].map(
    (code) => `<binder-cell><pre>${code}</pre></binder-cell>`,
  );
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8" /><title>Long streams</title>
<script type="module" src="/sdk/binder-cell.js"></script></head>
<body>
<binder-config repo="local/quickstart"></binder-config>
${cells.join('\n')}
</body>
</html>
`;
}

interface Measure {
  runMs: number;
  longestFrameGapMs: number;
  shownChars: number;
  showAllMs: number;
}

/** Clicks Run on cell `index` and watches every animation frame until the run ends. */
function run(page: Page, index: number): Promise<Measure> {
  return page.evaluate(
    (i) =>
      new Promise<Measure>((resolve, reject) => {
        const root = document.querySelectorAll('binder-cell')[i]?.shadowRoot;
        const button = root?.querySelector<HTMLButtonElement>('[part="run-button"]');
        if (!root || !button) return reject(new Error(`cell ${i} has no Run button`));
        const start = performance.now();
        let last = start;
        let longest = 0;
        let started = false;
        const frame = () => {
          const now = performance.now();
          longest = Math.max(longest, now - last);
          last = now;
          started ||= button.disabled;
          if (!started || button.disabled) {
            requestAnimationFrame(frame);
            return;
          }
          const runMs = now - start;
          const stream = root.querySelector('[part~="stream"]');
          const shownChars = stream?.textContent?.length ?? 0;
          const showAll = stream?.querySelector('button');
          const before = performance.now();
          showAll?.click();
          // The click renders the lines; the frame after next starts once the next laid them out.
          requestAnimationFrame(() =>
            requestAnimationFrame(() =>
              resolve({
                runMs,
                longestFrameGapMs: longest,
                shownChars,
                showAllMs: showAll ? performance.now() - before : NaN,
              }),
            ),
          );
        };
        button.click();
        requestAnimationFrame(frame);
      }),
    index,
  );
}

async function launchSession(page: Page): Promise<void> {
  await page.evaluate(() =>
    document
      .querySelector('binder-cell')
      ?.shadowRoot?.querySelector<HTMLButtonElement>('[part="run-button"]')
      ?.click(),
  );
  await page.waitForFunction(
    () =>
      document
        .querySelector('binder-cell')
        ?.shadowRoot?.querySelector('[part="outputs"]')
        ?.textContent?.includes('ready'),
    { timeout: 900_000, polling: 100 },
  );
}

const pages = await servePages({ 'streams.html': pageHtml() });
const chromium = await launchChromium();
try {
  const measures = CASES.map((): Measure[] => []);
  for (let round = 0; round < runs; round += 1) {
    const page = await chromium.browser.newPage();
    // tsx keeps function names with a helper that functions evaluated in the page call.
    await page.evaluateOnNewDocument('globalThis.__name = (fn) => fn;');
    await page.goto(pages.url('streams.html'));
    await launchSession(page);
    for (const [index, list] of measures.entries()) list.push(await run(page, index + 1));
    await page.close();
  }
  console.log('long streams in headless Chromium, served from localhost by the local backend;');
  console.log(`medians of ${runs} runs, each on a fresh page and session`);
  console.log(
    `${'case'.padEnd(30)}${'run'.padStart(14)}${'longest frame gap'.padStart(20)}` +
      `${'chars shown'.padStart(13)}${'show all'.padStart(14)}`,
  );
  for (const [index, { name }] of CASES.entries()) {
    const list = measures[index] ?? [];
    const p50 = (key: keyof Measure) => summarize(list.map((m) => m[key])).p50;
    console.log(
      `${name.padEnd(30)}${formatMs(p50('runMs')).padStart(14)}` +
        `${formatMs(p50('longestFrameGapMs')).padStart(20)}` +
        `${String(p50('shownChars')).padStart(13)}${formatMs(p50('showAllMs')).padStart(14)}`,
    );
  }
} finally {
  await chromium.close();
  await pages.close();
}

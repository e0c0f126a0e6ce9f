import type { Page } from 'puppeteer-core';
import { REPO_ROOT, TEST_DATA_DIR, startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';

/** A real server for the pages of test/e2e/pages (served at /examples/) and the built SDK. */
export function startPagesServer(...args: string[]): Promise<ServerProcess> {
  return startServerProcess([
    '--config',
    `${REPO_ROOT}test/e2e/pages/binder-cell.config.json`,
    '--data-dir',
    TEST_DATA_DIR,
    ...args,
  ]);
}

/** A real server as the README's quickstart runs it: examples/ and its repositories. */
export function startExamplesServer(...args: string[]): Promise<ServerProcess> {
  return startServerProcess([
    '--config',
    `${REPO_ROOT}examples/binder-cell.config.json`,
    '--data-dir',
    TEST_DATA_DIR,
    ...args,
  ]);
}

export function pageUrl(server: ServerProcess, name: string): string {
  return new URL(`examples/${name}`, server.url).href;
}

/** The text of a cell's status line. */
export function statusOf(page: Page, index: number): Promise<string> {
  return page.evaluate((i) => {
    const cell = document.querySelectorAll('binder-cell')[i];
    return cell?.shadowRoot?.querySelector('[part="status"]')?.textContent?.trim() ?? '';
  }, index);
}

/** Clicks a cell's Run button. */
export async function runCell(page: Page, index: number): Promise<void> {
  await page.evaluate((i) => {
    const cell = document.querySelectorAll('binder-cell')[i];
    (cell?.shadowRoot?.querySelector('[part="run-button"]') as HTMLButtonElement).click();
  }, index);
}

/** Waits until a cell's outputs contain `text`, and returns them. */
export async function waitForOutput(page: Page, index: number, text: string): Promise<string> {
  const handle = await page.waitForFunction(
    (i, expected) => {
      const cell = document.querySelectorAll('binder-cell')[i];
      const content = cell?.shadowRoot?.querySelector('[part="outputs"]')?.textContent ?? '';
      return content.includes(expected) ? content : null;
    },
    { timeout: 240_000, polling: 100 },
    index,
    text,
  );
  return (await handle.jsonValue()) as string;
}

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { REPO_ROOT } from './server-process.js';

/** Where tests leave what a person may want to look at afterwards (screenshots). */
export const REPORT_DIR = process.env.BINDER_CELL_TEST_REPORT ?? `${REPO_ROOT}test-report`;

/** Saves a full-page screenshot as `<REPORT_DIR>/<name>.png` and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(REPORT_DIR, { recursive: true });
  const path = join(REPORT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

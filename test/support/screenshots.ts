import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { REPO_ROOT } from './server-process.js';

/** Where test runs leave screenshots (gitignored). */
export const SCREENSHOTS_DIR = join(REPO_ROOT, 'test-results/screenshots');

/** The committed copies the docs show; `scripts/example-screenshots` refreshes them. */
const DOCS_IMAGES_DIR = join(REPO_ROOT, 'docs/images/examples');

/**
 * Saves a full-page screenshot as `test-results/screenshots/<name>.png`, and, when the
 * environment says `UPDATE_DOCS_SCREENSHOTS=1`, as `docs/images/examples/<name>.png` too.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const file = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    await mkdir(DOCS_IMAGES_DIR, { recursive: true });
    await copyFile(file, join(DOCS_IMAGES_DIR, `${name}.png`));
  }
  return file;
}

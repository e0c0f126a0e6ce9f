import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_BIN } from './chromium-flags.js';

/** Debian's Chromium, headless, with a fresh profile; nothing is downloaded. */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'binder-cell-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    userDataDir: profile,
    args: CHROMIUM_ARGS,
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

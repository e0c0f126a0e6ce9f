import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { TEST_DATA_DIR } from './server-process.js';

const run = promisify(execFile);

/**
 * A Python that has nbformat: that of a session environment the tests built (every one
 * has it, as jupyter_server needs it). Throws when there is none yet.
 */
export async function nbformatPython(): Promise<string> {
  const envs = join(TEST_DATA_DIR, 'envs');
  for (const name of existsSync(envs) ? await readdir(envs) : []) {
    const python = join(envs, name, 'bin/python');
    if (!existsSync(python)) continue;
    const probe = await run(python, ['-c', 'import nbformat']).then(
      () => true,
      () => false,
    );
    if (probe) return python;
  }
  throw new Error(`no environment under ${envs} has nbformat: launch a session first`);
}

/**
 * Validates `file` against nbformat's JSON schema with Python's nbformat (the schema of
 * the notebook's own nbformat_minor). Resolves with the notebook's JSON; rejects with
 * nbformat's ValidationError when it is not valid.
 */
export async function validateNotebook(file: string): Promise<NotebookJson> {
  const python = await nbformatPython();
  await run(python, [
    '-c',
    'import sys, nbformat\n' +
      'notebook = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\n' +
      'nbformat.validate(notebook, relax_add_props=False)',
    file,
  ]);
  return JSON.parse(await readFile(file, 'utf8')) as NotebookJson;
}

/** The parts of a notebook the tests read. */
export interface NotebookJson {
  nbformat: number;
  nbformat_minor: number;
  metadata: {
    kernelspec: { name: string; display_name: string; language?: string };
    language_info: { name: string; version?: string };
  };
  cells: {
    id: string;
    source: string[];
    metadata: Record<string, unknown>;
    execution_count: number | null;
    outputs: { output_type: string; text?: string[]; data?: Record<string, unknown> }[];
  }[];
}

/** Makes the page save downloads into a new folder, and returns the folder. */
export async function downloadsOf(page: Page): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'binder-cell-downloads-'));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: folder });
  return folder;
}

/**
 * Waits until `folder` holds `name`, fully written (Chromium writes `.crdownload` first);
 * throws when it has not come within a minute.
 */
export async function downloaded(folder: string, name: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  let names: string[] = [];
  while (Date.now() < deadline) {
    names = await readdir(folder);
    if (names.includes(name) && !names.some((entry) => entry.endsWith('.crdownload'))) {
      return join(folder, name);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${name} was not downloaded within a minute (the folder has: ${names.join(', ')})`,
  );
}

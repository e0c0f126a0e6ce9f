import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { REFERENCE_PAGES, renderReferencePage } from './pages.js';

const DOCS = new URL('../../docs/', import.meta.url);

// Writes docs/reference/*.md from the code; the docs build runs it first.
for (const path of Object.keys(REFERENCE_PAGES)) {
  const file = new URL(path, DOCS);
  await mkdir(dirname(file.pathname), { recursive: true });
  await writeFile(file, await renderReferencePage(path));
}

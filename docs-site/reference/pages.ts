import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { configurationPage } from './configuration.js';
import { elementsPage } from './elements.js';
import { launchProtocolPage } from './launch-protocol.js';

/** The generated reference pages, by their path under docs/. */
export const REFERENCE_PAGES: Readonly<Record<string, () => string | Promise<string>>> = {
  'reference/configuration.md': configurationPage,
  'reference/elements.md': elementsPage,
  'reference/launch-protocol.md': launchProtocolPage,
};

/** A reference page as committed: generated, then formatted as `npm run format` would. */
export async function renderReferencePage(path: string): Promise<string> {
  const render = REFERENCE_PAGES[path];
  if (!render) throw new Error(`no reference page ${path}`);
  const filepath = fileURLToPath(new URL(`../../docs/${path}`, import.meta.url));
  const options = await resolveConfig(filepath);
  return format(await render(), { ...options, filepath });
}

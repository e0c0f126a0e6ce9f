import { readdir, readFile } from 'node:fs/promises';

const EXAMPLES = new URL('../../examples/', import.meta.url);
const SCREENSHOTS = new URL('../../docs/images/examples/', import.meta.url);

async function titleOf(page) {
  const html = await readFile(new URL(page, EXAMPLES), 'utf8').catch(() => '');
  return /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
}

/**
 * The example pages that have a screenshot: docs/images/examples/<name>.png, taken by the
 * examples' browser tests from examples/<name>.html.
 */
export default async function () {
  const files = await readdir(SCREENSHOTS).catch(() => []);
  const names = files.filter((file) => file.endsWith('.png')).map((file) => file.slice(0, -4));
  return Promise.all(
    names.sort().map(async (name) => ({
      name,
      page: `${name}.html`,
      image: `images/examples/${name}.png`,
      title: (await titleOf(`${name}.html`)) ?? name,
    })),
  );
}

import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Parser } from 'htmlparser2';
import { LinkChecker, LinkState } from 'linkinator';

const DIST = new URL('dist/', import.meta.url);

/** Served by the launch server beside the site (`/sdk/`, `/examples/`), not part of it. */
const BESIDE_THE_SITE = /^\/(sdk|examples)\//;
/**
 * Where the launch server serves the site (`binder-cell-server serve --docs`): a relative
 * link is resolved from there to tell whether it leaves the site.
 */
const SITE_ROOT = 'http://site/docs/';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Pages, stylesheets and images the site links to: linkinator crawls it from index.html. */
async function brokenLinks(): Promise<string[]> {
  const port = await freePort();
  const origin = `http://localhost:${port}/`;
  const result = await new LinkChecker().check({
    path: 'index.html',
    serverRoot: fileURLToPath(DIST),
    port,
    recurse: true,
    linksToSkip: (link) => {
      if (!link.startsWith(origin)) return Promise.resolve(true);
      const { pathname } = new URL(link);
      return Promise.resolve(BESIDE_THE_SITE.test(pathname));
    },
  });
  return result.links
    .filter((link) => link.state === LinkState.BROKEN)
    .map((link) => `${link.url} (${link.status ?? 'no answer'}) on ${link.parent ?? '?'}`);
}

interface PageLinks {
  ids: Set<string>;
  /** `href` attributes (links, stylesheets). */
  hrefs: string[];
  /** `src` attributes (scripts, images). */
  sources: string[];
}

function readPage(html: string): PageLinks {
  const page: PageLinks = { ids: new Set(), hrefs: [], sources: [] };
  const parser = new Parser({
    onopentag(_name, attributes) {
      if (attributes.id) page.ids.add(attributes.id);
      if (attributes.href) page.hrefs.push(attributes.href);
      if (attributes.src) page.sources.push(attributes.src);
    },
  });
  parser.end(html);
  return page;
}

/** The built pages, by path from the site's root (`/sdk.html`). */
async function readPages(): Promise<Map<string, PageLinks>> {
  const files = (await readdir(DIST, { recursive: true })).filter((f) => f.endsWith('.html'));
  const pages = new Map<string, PageLinks>();
  for (const file of files) {
    pages.set(`/${file}`, readPage(await readFile(new URL(file, DIST), 'utf8')));
  }
  return pages;
}

/**
 * Links and sources that leave the site for another path of its server, other than
 * `/sdk/` and `/examples/`: such a path (`../deploy/…` to a file of the repository) is
 * not served, however the site is published. Links with a scheme (`https:`) are not
 * checked.
 */
function leavingLinks(pages: ReadonlyMap<string, PageLinks>): string[] {
  const leaving: string[] = [];
  for (const [path, page] of pages) {
    for (const link of [...page.hrefs, ...page.sources]) {
      const target = new URL(link, new URL(path.slice(1), SITE_ROOT));
      if (target.origin !== new URL(SITE_ROOT).origin) continue;
      if (target.pathname.startsWith(new URL(SITE_ROOT).pathname)) continue;
      if (!BESIDE_THE_SITE.test(target.pathname)) leaving.push(`${link} on ${path.slice(1)}`);
    }
  }
  return leaving;
}

/**
 * Every `#fragment` a page links to inside the site names an element of the target page
 * (linkinator's own fragment check misses pages it crawled before it saw the link).
 */
function brokenAnchors(pages: ReadonlyMap<string, PageLinks>): string[] {
  const broken: string[] = [];
  for (const [path, page] of pages) {
    for (const href of page.hrefs) {
      const target = new URL(href, `http://site${path}`);
      if (target.host !== 'site' || !target.hash) continue;
      if (BESIDE_THE_SITE.test(target.pathname)) continue;
      const id = decodeURIComponent(target.hash.slice(1));
      if (!pages.get(target.pathname)?.ids.has(id)) broken.push(`${href} on ${path.slice(1)}`);
    }
  }
  return broken;
}

/**
 * Checks every internal link and anchor of the built site (docs-site/dist): each page,
 * stylesheet and image a page links to exists, and so does each `#fragment`; no link
 * leaves the site except for `/sdk/` and `/examples/`. Links with a scheme are not fetched.
 */
async function checkLinks(): Promise<number> {
  const pages = await readPages();
  const leaving = leavingLinks(pages);
  const broken = [...(await brokenLinks()), ...brokenAnchors(pages)];
  for (const link of leaving) console.error(`link leaving the site ${link}`);
  for (const link of broken) console.error(`broken link ${link}`);
  if (leaving.length || broken.length) return 1;
  console.warn('links: every internal link and anchor resolves, and none leaves the site');
  return 0;
}

process.exitCode = await checkLinks();

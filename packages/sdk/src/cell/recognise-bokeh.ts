/**
 * Reads Bokeh's notebook JavaScript (bokeh/core/_templates/notebook_load.js, autoload_nb_js
 * and doc_nb_js) without running it.
 */

/** A Bokeh document to embed: `Bokeh.embed.embed_items(docs_json, render_items)`'s arguments. */
export interface BokehEmbed {
  /** Documents by id, each `{ version, roots, ... }` as bokeh serialises them. */
  docsJson: Record<string, { version?: string; [field: string]: unknown }>;
  renderItems: BokehRenderItem[];
  /** The bokeh version that made the document (BokehJS must match it exactly). */
  version: string | undefined;
}

export interface BokehRenderItem {
  docid: string;
  root_ids: string[];
  /** Root model id to the id of the element it was meant for. */
  roots: Record<string, string>;
  [field: string]: unknown;
}

/** What `output_notebook()` asks for: BokehJS from URLs (a CDN) or inline (`INLINE`). */
export interface BokehLoad {
  /** The version in the BokehJS file names; undefined for inline BokehJS. */
  version: string | undefined;
  inline: boolean;
}

const DOCS_JSON = /^\s*const docs_json = (.*);\s*$/m;
const RENDER_ITEMS = /^\s*const render_items = (.*);\s*$/m;
const JS_URLS = /^\s*const js_urls = (\[.*\]);\s*$/m;
const BUNDLE_VERSION = /\/bokeh-(\d+\.\d+\.\d+[\w.+-]*?)\.min\.js$/;

/** The document a `show()` output embeds; undefined when the JavaScript is not Bokeh's. */
export function readBokehEmbed(javascript: string): BokehEmbed | undefined {
  const docs = parseJson(DOCS_JSON.exec(javascript)?.[1]);
  const items = parseJson(RENDER_ITEMS.exec(javascript)?.[1]);
  if (!isRecord(docs) || !Array.isArray(items)) return undefined;
  const docsJson = docs as BokehEmbed['docsJson'];
  const version = Object.values(docsJson)
    .map((doc) => doc.version)
    .find((value) => typeof value === 'string');
  return { docsJson, renderItems: items as BokehRenderItem[], version };
}

/** What an `output_notebook()` output loads. */
export function readBokehLoad(javascript: string): BokehLoad {
  const urls = parseJson(JS_URLS.exec(javascript)?.[1]);
  const list = Array.isArray(urls) ? urls.filter((url) => typeof url === 'string') : [];
  const version = list.map((url) => BUNDLE_VERSION.exec(url)?.[1]).find(Boolean);
  return { version, inline: list.length === 0 };
}

/** Models whose JavaScript BokehJS compiles with `new Function` (CustomJS, CustomJSHover, ...). */
export function hasCustomJs(embed: BokehEmbed): boolean {
  return /"name":"CustomJS\w*"/.test(JSON.stringify(embed.docsJson));
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

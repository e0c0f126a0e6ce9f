import { htmlNeeds } from './html-needs.js';
import type { HtmlNeeds } from './html-needs.js';
import { takeInlineCss } from './inline-css.js';
import { takeInlineHandlers } from './inline-handlers.js';

/**
 * What kernel HTML turned out to be: a chart to draw instead, a placeholder to drop, or
 * HTML, with its inline CSS apart (inline-css.ts) and its event handlers renamed
 * (inline-handlers.ts), not yet sanitised, and what it needs that sanitising takes out.
 */
export type HtmlReading =
  | { kind: 'chart'; mime: string; value: string }
  | { kind: 'placeholder' }
  | { kind: 'html'; html: string; css: string; needs?: HtmlNeeds };

/**
 * Reads an HTML output before it is shown (see recogniseHtml, takeInlineCss,
 * takeInlineHandlers and htmlNeeds). Nothing parses it before both are taken out: a
 * strict CSP reports them wherever they are parsed.
 */
export function readHtml(html: string): HtmlReading {
  const recognised = recogniseHtml(html);
  if (recognised === 'placeholder') return { kind: 'placeholder' };
  if (recognised) return { kind: 'chart', ...recognised };
  const withoutCss = takeInlineCss(html);
  const inert = takeInlineHandlers(withoutCss.html);
  const needs = inert.handlers ? 'javascript' : htmlNeeds(inert.html);
  return { kind: 'html', html: inert.html, css: withoutCss.css, ...(needs ? { needs } : {}) };
}

type RecognisedHtml = { mime: string; value: string } | 'placeholder';

/**
 * Recognises HTML outputs that only work with a CDN and page scripts, and says what to
 * show instead; undefined for any other HTML.
 *
 * - Altair's default renderer: a `<div>` and a `<script>` that loads vega-embed from a CDN
 *   and calls it with the spec; its last statement is `})(<spec>, <embed options>);`,
 *   two JSON values (altair/utils/html.py). The spec is drawn by the Vega renderer.
 * - Bokeh's "Loading BokehJS ..." banner and the empty `<div data-root-id>` that `show()`
 *   sends before its exec output (bokeh/core/_templates): the Bokeh renderer shows the
 *   load status and the plot itself, so these would only be a spinner and an empty strip.
 */
function recogniseHtml(html: string): RecognisedHtml | undefined {
  if (isBokehPlaceholder(html)) return 'placeholder';
  return vegaEmbedChart(html);
}

const BOKEH_ROOT = /^\s*<div\b[^>]*\bdata-root-id="[^"]*"[^>]*>\s*<\/div>\s*$/;

function isBokehPlaceholder(html: string): boolean {
  if (BOKEH_ROOT.test(html)) return true;
  return html.includes('class="bk-notebook-logo"') && html.includes('Loading BokehJS ...');
}

const VEGA_EMBED_CALL = /\}\)\(([\s\S]*)\);\s*<\/script>\s*$/;
const SCHEMA = /\/schema\/(vega-lite|vega)\/v(\d+)/;

function vegaEmbedChart(html: string): { mime: string; value: string } | undefined {
  if (!html.includes('vegaEmbed(')) return undefined;
  const call = VEGA_EMBED_CALL.exec(html.trimEnd());
  if (!call) return undefined;
  let args: unknown;
  try {
    args = JSON.parse(`[${call[1]}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(args) || !isObject(args[0])) return undefined;
  const [spec, options] = args as [Record<string, unknown>, unknown];
  const schema = typeof spec.$schema === 'string' ? SCHEMA.exec(spec.$schema) : null;
  const declared = isObject(options) && options.mode === 'vega' ? 'vega' : 'vega-lite';
  const mode = schema ? (schema[1] as 'vega' | 'vega-lite') : declared;
  // Without a $schema, the current major version of both (Vega 6, Vega-Lite 6).
  const major = schema ? Number(schema[2]) : 6;
  const embedOptions = Object.fromEntries(
    Object.entries(isObject(options) ? options : {}).filter(([key]) => key !== 'mode'),
  );
  const usermeta = isObject(spec.usermeta) ? spec.usermeta : {};
  const withOptions =
    Object.keys(embedOptions).length > 0
      ? { ...spec, usermeta: { ...usermeta, embedOptions } }
      : spec;
  return { mime: vegaMime(mode, major), value: JSON.stringify(withOptions) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The mime type of a Vega or Vega-Lite spec of a major version (`vegaMime('vega-lite', 6)`). */
function vegaMime(mode: 'vega' | 'vega-lite', major: number): string {
  return `application/vnd.${mode === 'vega' ? 'vega' : 'vegalite'}.v${major}+json`;
}

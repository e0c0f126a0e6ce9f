/**
 * Vega and Vega-Lite specs (Altair, and anything else emitting them), drawn with
 * vega-embed. Expressions are interpreted from their syntax tree (vega-interpreter,
 * `ast: true`), so no code is generated at run time and strict CSP pages work.
 */
import embed from 'vega-embed';
import type { EmbedOptions, Mode, VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { createDefaultStyle } from 'vega-tooltip';
import type { PlotRenderer, TakeDown } from './plot-renderer.js';
import { adoptSheets } from './adopt-sheets.js';

const TOOLTIP_ID = 'vg-tooltip-element';

/** vega-tooltip's tooltip lives in document.body: its styles join the document, CSP-free. */
let tooltipSheet: CSSStyleSheet | undefined;

/**
 * Embed options a spec may set in `usermeta.embedOptions` (Altair puts its renderer
 * options there). vega-embed lets them override the caller's, so everything else is
 * dropped: `ast: false` would turn code generation back on.
 */
const SPEC_OPTIONS = new Set([
  'theme',
  'renderer',
  'width',
  'height',
  'padding',
  'scaleFactor',
  'downloadFileName',
  'config',
  'formatLocale',
  'timeFormatLocale',
  'hover',
]);

function withSafeOptions(spec: VisualizationSpec): VisualizationSpec {
  const usermeta = spec.usermeta as { embedOptions?: Record<string, unknown> } | undefined;
  if (!usermeta?.embedOptions) return spec;
  const embedOptions = Object.fromEntries(
    Object.entries(usermeta.embedOptions).filter(([key]) => SPEC_OPTIONS.has(key)),
  );
  return { ...spec, usermeta: { ...usermeta, embedOptions } };
}

async function draw(target: HTMLElement, value: string, mode: Mode): Promise<TakeDown> {
  const spec = withSafeOptions(JSON.parse(value) as VisualizationSpec);
  if (!tooltipSheet) {
    tooltipSheet = new CSSStyleSheet();
    tooltipSheet.replaceSync(createDefaultStyle(TOOLTIP_ID));
  }
  adoptSheets(document, [tooltipSheet]);
  const options: EmbedOptions = {
    mode,
    ast: true,
    expr: expressionInterpreter,
    renderer: 'svg',
    actions: false,
    // vega-embed's own stylesheet is a `<style>` element, which a strict CSP refuses.
    defaultStyle: false,
    tooltip: { id: TOOLTIP_ID, disableDefaultStyle: true },
  };
  const result = await embed(target, spec, options);
  return () => result.finalize();
}

/** Draws a Vega-Lite spec (compiled to Vega by vega-lite, v4 and later). */
export const drawVegaLite: PlotRenderer = (target, value) => draw(target, value, 'vega-lite');

/** Draws a Vega spec. */
export const drawVega: PlotRenderer = (target, value) => draw(target, value, 'vega');

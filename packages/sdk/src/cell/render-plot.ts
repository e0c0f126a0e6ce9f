import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { until } from 'lit/directives/until.js';
import type { PlotKind } from './plot-mimes.js';

let drawing: Promise<typeof import('./draw-plot.js')> | undefined;

/**
 * A Plotly, Vega(-Lite) or Bokeh output, drawn by its lazily loaded renderer. What draws
 * it (draw-plot.ts) loads with the first plot too, keeping the entry module small; until
 * then the output shows its text, if it has any.
 */
export function plotOutput(kind: PlotKind, value: string, alt: string | undefined): TemplateResult {
  drawing ??= import('./draw-plot.js');
  const box = drawing.then((module) => module.plotBox(kind, value, alt));
  return html`<div part="output plot" class="plot ${kind}">
    ${until(box, alt === undefined ? nothing : html`<pre class="text">${alt}</pre>`)}
  </div>`;
}

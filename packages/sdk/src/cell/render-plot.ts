import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { until } from 'lit/directives/until.js';
import type * as DrawPlot from './draw-plot.js';
import type { DataOutput } from './output-model.js';
import type { PlotKind } from './plot-mimes.js';

let drawing: Promise<typeof DrawPlot> | undefined;

/** Each output's plot, by the output: `until` must get the same promise at every render. */
const boxes = new WeakMap<DataOutput, Promise<TemplateResult>>();

/**
 * A Plotly, Vega(-Lite) or Bokeh output, drawn by its lazily loaded renderer. What draws
 * it (draw-plot.ts) loads with the first plot too, keeping the entry module small; until
 * then the output shows its text, if it has any.
 */
export function plotOutput(output: DataOutput, kind: PlotKind): TemplateResult {
  let box = boxes.get(output);
  if (!box) {
    drawing ??= import('./draw-plot.js');
    box = drawing.then((module) => module.plotBox(kind, output.value, output.alt));
    boxes.set(output, box);
  }
  const { alt } = output;
  return html`<div part="output plot" class="plot ${kind}">
    ${until(box, alt === undefined ? nothing : html`<pre class="text">${alt}</pre>`)}
  </div>`;
}

import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { ElementPart, PartInfo } from 'lit/directive.js';
import { PartType } from 'lit/directive.js';
import { PlotNote } from '../renderers/plot-renderer.js';
import type { PlotRenderer, TakeDown } from '../renderers/plot-renderer.js';
import { adoptSheets } from '../renderers/adopt-sheets.js';
import type { PlotKind } from './plot-mimes.js';
import { plotStyles } from './plot.styles.js';

/** Each renderer is its own chunk, loaded with the first plot of its kind. */
const RENDERERS: Record<PlotKind, () => Promise<PlotRenderer>> = {
  plotly: () => import('../renderers/plotly.js').then((module) => module.drawPlotly),
  'vega-lite': () => import('../renderers/vega.js').then((module) => module.drawVegaLite),
  vega: () => import('../renderers/vega.js').then((module) => module.drawVega),
  'bokeh-load': () => import('../renderers/bokeh.js').then((module) => module.loadBokeh),
  'bokeh-exec': () => import('../renderers/bokeh.js').then((module) => module.drawBokeh),
};

const LOADING: Record<PlotKind, string> = {
  plotly: 'Loading Plotly…',
  'vega-lite': 'Loading Vega…',
  vega: 'Loading Vega…',
  'bokeh-load': 'Loading BokehJS…',
  'bokeh-exec': 'Loading BokehJS…',
};

/**
 * Draws a plot with its renderer, and owns the element's children: a loading line, then
 * the plot, or the reason it cannot be shown. Draws again when the value changes (an
 * updated display) and after the cell comes back on the page; takes the plot down when
 * the output goes.
 */
class DrawPlot extends AsyncDirective {
  private container: HTMLElement | undefined;
  private kind: PlotKind = 'plotly';
  private value: string | undefined;
  private alt: string | undefined;
  private takeDown: TakeDown | undefined;
  /** Counts draws, so that a slow draw that was replaced meanwhile is dropped. */
  private generation = 0;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('drawPlot is an element directive');
  }

  render(_kind: PlotKind, _value: string, _alt: string | undefined) {
    return undefined;
  }

  override update(part: ElementPart, [kind, value, alt]: [PlotKind, string, string | undefined]) {
    if (this.container === part.element && this.kind === kind && this.value === value) return;
    this.container = part.element as HTMLElement;
    Object.assign(this, { kind, value, alt });
    void this.draw();
  }

  protected override disconnected(): void {
    this.clear();
  }

  protected override reconnected(): void {
    void this.draw();
  }

  private clear(): void {
    this.generation += 1;
    this.takeDown?.();
    this.takeDown = undefined;
  }

  private async draw(): Promise<void> {
    const { container, kind, value } = this;
    if (!container || value === undefined) return;
    this.clear();
    const sheet = plotStyles.styleSheet;
    // Once on the page: a first render builds the output before it is in the shadow root.
    queueMicrotask(() => sheet && adoptSheets(container, [sheet]));
    const generation = this.generation;
    const current = () => generation === this.generation;
    container.replaceChildren(line('plot-loading', this.alt ?? LOADING[kind]));
    try {
      const render = await RENDERERS[kind]();
      if (!current()) return;
      const target = document.createElement('div');
      target.className = 'plot-target';
      container.replaceChildren(target);
      const takeDown = await render(target, value);
      if (current()) this.takeDown = takeDown;
      else takeDown();
    } catch (error) {
      if (!current()) return;
      const reason = error instanceof Error ? error.message : String(error);
      container.replaceChildren(
        error instanceof PlotNote ? note(reason) : line('plot-problem', reason),
      );
    }
  }
}

function line(className: string, text: string): HTMLElement {
  const element = document.createElement('p');
  element.className = className;
  element.textContent = text;
  return element;
}

/** A note (muted, not an error: the page chose it) on why the plot is not drawn. */
function note(text: string): HTMLElement {
  const element = line('note', text);
  element.part.add('note');
  return element;
}

const drawPlot = directive(DrawPlot);

/** The element a plot is drawn in (render-plot.ts loads this module with the first plot). */
export function plotBox(kind: PlotKind, value: string, alt: string | undefined): TemplateResult {
  return html`<div class="plot-box" ${drawPlot(kind, value, alt)}></div>`;
}

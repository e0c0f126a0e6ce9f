/**
 * Plotly figures (`application/vnd.plotly.v1+json`, what plotly.py sends), drawn with
 * plotly.js's strict distribution: no `eval` or `new Function`, so strict CSP pages work.
 * plotly.py 6+ sends arrays base64-typed (`{dtype, bdata}`), which plotly.js >= 2.28 reads.
 */
import type { PlotRenderer } from './plot-renderer.js';
import { adoptSheets } from './adopt-sheets.js';
import { oneAtATime } from './one-at-a-time.js';
import { catchPlotlyStyles, plotlySheets } from './plotly-styles.js';

/** The part of plotly.js's API used here (see plotly.js's `src/plot_api`). */
interface Plotly {
  newPlot(
    graph: HTMLElement,
    data: unknown[],
    layout: Record<string, unknown>,
    config: Record<string, unknown>,
  ): Promise<HTMLElement>;
  purge(graph: HTMLElement): void;
  Plots: { resize(graph: HTMLElement): Promise<void> };
}

let loaded: Promise<Plotly> | undefined;

/**
 * plotly.js, loaded once, with its stylesheets caught as it runs. The dist file sets
 * `window.Plotly` (its UMD wrapper exports nothing to ES modules).
 */
function loadPlotly(): Promise<Plotly> {
  loaded ??= oneAtATime(async () => {
    const stopCatching = catchPlotlyStyles();
    try {
      await import('plotly.js-strict-dist-min');
    } finally {
      stopCatching();
    }
    return (window as unknown as { Plotly: Plotly }).Plotly;
  });
  return loaded;
}

interface Figure {
  data?: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/**
 * Draws a figure, interactive (hover, zoom, legend) and as wide as the cell: it follows
 * the cell's width as the page resizes.
 */
export const drawPlotly: PlotRenderer = async (target, value) => {
  const figure = JSON.parse(value) as Figure;
  const Plotly = await loadPlotly();
  adoptSheets(target, plotlySheets);
  const graph = document.createElement('div');
  target.append(graph);
  await Plotly.newPlot(graph, figure.data ?? [], figure.layout ?? {}, {
    displaylogo: false,
    ...figure.config,
    // Links to Chart Studio would send the figure off the page.
    showLink: false,
    showEditInChartStudio: false,
  });
  let width = target.clientWidth;
  const observer = new ResizeObserver(() => {
    if (target.clientWidth === width) return;
    width = target.clientWidth;
    void Plotly.Plots.resize(graph);
  });
  observer.observe(target);
  return () => {
    observer.disconnect();
    Plotly.purge(graph);
    graph.remove();
  };
};

/** What plotly.py sends in notebooks: `{ data, layout, config? }`. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/**
 * Vega-Lite and Vega specs, newest first, in both spellings: `+json` (JupyterLab's) and
 * `.json` (what Altair 6's `mimetype` renderer sends).
 */
export const VEGALITE_MIMES = [6, 5, 4].flatMap((major) => [
  `application/vnd.vegalite.v${major}+json`,
  `application/vnd.vegalite.v${major}.json`,
]);
export const VEGA_MIMES = [6, 5].flatMap((major) => [
  `application/vnd.vega.v${major}+json`,
  `application/vnd.vega.v${major}.json`,
]);

/**
 * Bokeh's notebook outputs (bokeh.io.notebook): `output_notebook()` sends a load bundle,
 * `show()` an exec bundle. Each carries its JavaScript as `application/javascript`; that
 * JavaScript is read, never run (see recognise-bokeh.ts).
 */
export const BOKEHJS_LOAD_MIME = 'application/vnd.bokehjs_load.v0+json';
export const BOKEHJS_EXEC_MIME = 'application/vnd.bokehjs_exec.v0+json';

/** The plot representations, in order of preference (all above text/html, as in JupyterLab). */
export const PLOT_MIMES: readonly string[] = [
  PLOTLY_MIME,
  ...VEGALITE_MIMES,
  ...VEGA_MIMES,
  BOKEHJS_EXEC_MIME,
  BOKEHJS_LOAD_MIME,
];

const VEGA_MIME = /^application\/vnd\.(vegalite|vega)\.v(\d+)[+.]json$/;

export type PlotKind = 'plotly' | 'vega-lite' | 'vega' | 'bokeh-load' | 'bokeh-exec';

/** Which renderer draws a mime type; undefined for anything that is not a plot. */
export function plotKind(mime: string): PlotKind | undefined {
  if (mime === PLOTLY_MIME) return 'plotly';
  if (mime === BOKEHJS_LOAD_MIME) return 'bokeh-load';
  if (mime === BOKEHJS_EXEC_MIME) return 'bokeh-exec';
  const vega = VEGA_MIME.exec(mime);
  if (!vega) return undefined;
  return vega[1] === 'vega' ? 'vega' : 'vega-lite';
}

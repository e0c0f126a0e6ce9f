let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs library loads one after another. While plotly.js or BokehJS loads, the styles it
 * adds are caught by patching document.head and ShadowRoot (plotly-styles.ts,
 * bokeh-styles.ts); two such windows must not overlap, or one library's styles would
 * land with the other's.
 */
export function oneAtATime<T>(load: () => Promise<T>): Promise<T> {
  const run = queue.then(load, load);
  queue = run.catch(() => undefined);
  return run;
}

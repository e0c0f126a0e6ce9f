/**
 * Bokeh's notebook outputs: `output_notebook()` (load) and `show()` (exec). Their
 * JavaScript would load BokehJS from a CDN and find elements by id in the document; it is
 * read instead (cell/recognise-bokeh.ts) and the plot embedded into the output's own
 * element, with the BokehJS of the session's environment.
 */
import { hasCustomJs, readBokehEmbed, readBokehLoad } from '../cell/recognise-bokeh.js';
import { sessionOf } from '../cell/session-request.js';
import { bokehjsFor } from './bokehjs.js';
import { PlotNote } from './plot-renderer.js';
import type { PlotRenderer } from './plot-renderer.js';

/**
 * The load output: loads BokehJS and ends as Jupyter shows it ("BokehJS 3.9.2 successfully
 * loaded."). Inline BokehJS (`output_notebook(resources=INLINE)`) runs as it is on pages
 * that allow JavaScript; elsewhere the session's BokehJS is loaded.
 */
export const loadBokeh: PlotRenderer = async (target, value) => {
  const load = readBokehLoad(value);
  const session = sessionOf(target);
  if (load.inline && session?.settings.allowJavascript) runInline(target, value);
  const bokeh = await bokehjsFor(session, load.version);
  target.textContent = `BokehJS ${bokeh.version} successfully loaded.`;
  return () => undefined;
};

/**
 * The exec output: embeds its document into the output. A document with CustomJS
 * (JavaScript that BokehJS compiles with `new Function`) is drawn only on pages that
 * allow JavaScript, like any JavaScript the kernel sends.
 */
export const drawBokeh: PlotRenderer = async (target, value) => {
  const embed = readBokehEmbed(value);
  if (!embed) throw new Error('This Bokeh output holds no document that binder-cell can read.');
  const session = sessionOf(target);
  if (hasCustomJs(embed) && !session?.settings.allowJavascript) {
    throw new PlotNote(
      'This Bokeh plot has CustomJS callbacks: it is drawn only on pages with allow-javascript.',
    );
  }
  const bokeh = await bokehjsFor(session, embed.version);
  const items = embed.renderItems.map((item) => {
    const roots = item.root_ids.map((id): [string, HTMLElement] => [
      id,
      target.appendChild(document.createElement('div')),
    ]);
    return { ...item, elementid: target, roots: Object.fromEntries(roots) };
  });
  const views = await bokeh.embed.embed_items(embed.docsJson, items);
  return () => {
    for (const view of views) view.clear();
    target.replaceChildren();
  };
};

function runInline(target: HTMLElement, javascript: string): void {
  const script = document.createElement('script');
  script.textContent = javascript;
  target.append(script);
}

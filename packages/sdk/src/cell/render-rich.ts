import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { ref } from 'lit/directives/ref.js';
import { until } from 'lit/directives/until.js';
import { adoptSheets } from '../renderers/adopt-sheets.js';
import { htmlStyles } from './html.styles.js';

type RichKind = 'markdown' | 'latex';

/** Rendered results by source, so re-renders of a cell do not re-typeset (or flicker). */
const rendered = new Map<string, Promise<string>>();
const MAX_CACHED = 200;

function renderRich(kind: RichKind, source: string): Promise<string> {
  const key = `${kind}\0${source}`;
  let result = rendered.get(key);
  if (!result) {
    result = import('../renderers/rich.js').then((rich) =>
      kind === 'markdown' ? rich.markdownToHtml(source) : rich.latexToHtml(source),
    );
    rendered.set(key, result);
    if (rendered.size > MAX_CACHED) rendered.delete(rendered.keys().next().value as string);
  }
  return result;
}

/** Gives Markdown tables the look of DataFrames, once `element` is in the cell's shadow root. */
function adoptTableStyles(element: Element | undefined): void {
  const sheet = htmlStyles.styleSheet;
  if (element && sheet) queueMicrotask(() => adoptSheets(element, [sheet]));
}

/** Markdown or LaTeX, typeset once the (lazily loaded) renderers arrive. */
export function richOutput(kind: RichKind, source: string): TemplateResult {
  const content = renderRich(kind, source).then((markup) => unsafeHTML(markup));
  return html`<div part="output ${kind}" class=${kind} ${ref(adoptTableStyles)}>
    ${until(content, html`<pre>${source}</pre>`)}
  </div>`;
}

import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { until } from 'lit/directives/until.js';
import { htmlSupport } from './html-support.js';

let trustedModule: Promise<typeof import('./trusted-html.js')> | undefined;

/**
 * An HTML output: sanitised (its inline CSS apart, see sanitised-html.ts), or (trusted)
 * as sent, its scripts running (trusted-html.ts, loaded with the first).
 */
export function htmlOutput(
  markup: string,
  { trusted, css }: { trusted: boolean; css: string },
): TemplateResult {
  if (!trusted) {
    return (
      htmlSupport()?.render(markup, css) ??
      html`<div part="output html" class="html">${unsafeHTML(markup)}</div>`
    );
  }
  trustedModule ??= import('./trusted-html.js');
  const slot = trustedModule.then((module) => module.trustedSlot(markup));
  return html`<div part="output html" class="html trusted">${until(slot)}</div>`;
}

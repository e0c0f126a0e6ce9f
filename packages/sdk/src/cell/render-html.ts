import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { until } from 'lit/directives/until.js';
import { htmlSupport } from './html-support.js';
import type { DataOutput } from './output-model.js';
import type * as TrustedHtml from './trusted-html.js';

let trustedModule: Promise<typeof TrustedHtml> | undefined;

/** Each trusted output's slot, by the output: `until` must get the same promise at every render. */
const slots = new WeakMap<DataOutput, Promise<TemplateResult>>();

/**
 * An HTML output: sanitised (its inline CSS apart, and with a note when it lost what it
 * needs; see sanitised-html.ts), or (trusted) as sent, its scripts running
 * (trusted-html.ts, loaded with the first).
 */
export function htmlOutput(output: DataOutput): TemplateResult {
  const { value, trusted, css, needs } = output;
  if (!trusted) {
    return (
      htmlSupport()?.render(value, css ?? '', needs) ??
      html`<div part="output html" class="html">${unsafeHTML(value)}</div>`
    );
  }
  let slot = slots.get(output);
  if (!slot) {
    trustedModule ??= import('./trusted-html.js');
    slot = trustedModule.then((module) => module.trustedSlot(value));
    slots.set(output, slot);
  }
  return html`<div part="output html" class="html trusted">${until(slot)}</div>`;
}

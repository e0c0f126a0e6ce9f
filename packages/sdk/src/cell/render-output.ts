import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { ansiToHtml } from './ansi.js';
import type { Output } from './output-model.js';

/**
 * Renders one output. HTML reaching `unsafeHTML` is either escaped by the ANSI converter
 * or was sanitised when it arrived (see `selectData`).
 */
export function renderOutput(output: Output): TemplateResult {
  switch (output.kind) {
    case 'stream':
      return html`<pre part="output stream" class="stream ${output.name}">
${unsafeHTML(ansiToHtml(output.text))}</pre>`;
    case 'error':
      return html`<pre part="output error" class="error">
${unsafeHTML(
          ansiToHtml(output.traceback.join('\n') || `${output.ename}: ${output.evalue}`),
        )}</pre>`;
    case 'data':
      if (output.mime === 'text/html') {
        return html`<div part="output html" class="html">${unsafeHTML(output.value)}</div>`;
      }
      if (output.mime.startsWith('image/')) {
        return html`<img
          part="output image"
          class="image"
          src=${output.value}
          alt=${output.alt ?? 'Image output'}
        />`;
      }
      return html`<pre part="output text" class="text">
${unsafeHTML(ansiToHtml(output.value))}</pre>`;
  }
}

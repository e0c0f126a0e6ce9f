import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { ansiToHtml } from './ansi.js';
import type { DataOutput, Output } from './output-model.js';
import { WIDGET_VIEW_MIME } from './output-model.js';
import { plotKind } from './plot-mimes.js';
import { htmlOutput } from './render-html.js';
import { jsonOutput } from './render-json.js';
import { plotOutput } from './render-plot.js';
import { richOutput } from './render-rich.js';
import { renderStream } from './render-stream.js';
import { javascriptOutput } from './run-javascript.js';
import { widgetOutput } from './render-widget.js';

/**
 * Renders one output. HTML reaching `unsafeHTML` is either escaped by the ANSI converter
 * or was sanitised when it arrived (see `selectData`).
 */
export function renderOutput(output: Output): TemplateResult {
  switch (output.kind) {
    case 'stream':
      return renderStream(output);
    case 'error':
      // IPython colours tracebacks for terminals; the theme's colours keep them readable.
      return html`<pre part="output error" class="error">
${unsafeHTML(
          ansiToHtml(output.traceback.join('\n') || `${output.ename}: ${output.evalue}`, 'theme'),
        )}</pre>`;
    case 'data':
      return renderData(output);
  }
}

function renderData(output: DataOutput): TemplateResult {
  const { mime, value, alt } = output;
  const plot = plotKind(mime);
  if (plot) return plotOutput(output, plot);
  if (mime.startsWith('image/')) {
    return html`<img
      part="output image"
      class="image"
      src=${value}
      alt=${alt ?? 'Image output'}
    />`;
  }
  switch (mime) {
    case 'text/html':
      return htmlOutput(output);
    case 'text/markdown':
      return richOutput('markdown', value);
    case 'text/latex':
      return richOutput('latex', value);
    case 'application/json':
      return jsonOutput(value);
    case 'application/javascript':
      return javascriptOutput(value);
    case WIDGET_VIEW_MIME:
      return widgetOutput(value, alt);
    default:
      return html`<pre part="output text" class="text">${unsafeHTML(ansiToHtml(value))}</pre>`;
  }
}

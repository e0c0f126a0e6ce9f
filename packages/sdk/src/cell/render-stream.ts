import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { StreamOutput } from './stream-output.js';
import { terminal } from './terminal-loader.js';

/** A stream output: its lines as a terminal shows them, long ones cut short (see stream-view.ts). */
export function renderStream(output: StreamOutput): TemplateResult {
  return html`<div part="output stream" class="stream ${output.name}">
    ${terminal().streamView(output.stream)}
  </div>`;
}

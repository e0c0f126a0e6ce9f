import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';

/** JSON as a tree of `<details>`: the top level open, deeper levels collapsed. */
export function jsonOutput(text: string): TemplateResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return html`<pre part="output json" class="json">${text}</pre>`;
  }
  return html`<div part="output json" class="json">${jsonNode(value, undefined, 0)}</div>`;
}

function jsonNode(value: unknown, key: string | undefined, depth: number): TemplateResult {
  const label = key === undefined ? nothing : html`<span class="json-key">${key}: </span>`;
  if (value === null || typeof value !== 'object') {
    return html`<div class="json-leaf">
      ${label}<span class="json-${value === null ? 'null' : typeof value}"
        >${JSON.stringify(value)}</span
      >
    </div>`;
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return html`<details ?open=${depth === 0}>
    <summary>
      ${label}${open}${entries.length} ${entries.length === 1 ? 'item' : 'items'}${close}
    </summary>
    ${entries.map(([childKey, child]) => jsonNode(child, childKey, depth + 1))}
  </details>`;
}

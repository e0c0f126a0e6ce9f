import { css } from 'lit';

// The static code (`.code > pre`) looks exactly like the editor that replaces it (see
// editor/code-editor.ts): same font, size and line height, no padding of its own, and long
// lines scroll, never wrap, so a statement never reads as two. `.tok-*` colour both.

export const styles = css`
  :host {
    --binder-cell-font: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    --binder-cell-font-size: 0.875rem;
    --binder-cell-line-height: 1.5;
    --binder-cell-background: #f7f7f8;
    --binder-cell-foreground: #1f2328;
    --binder-cell-muted: #59636e;
    --binder-cell-border: #d1d9e0;
    --binder-cell-accent: #0969da;
    --binder-cell-accent-text: #ffffff;
    --binder-cell-error: #b42318;
    --binder-cell-output-background: #ffffff;
    --binder-cell-radius: 6px;
    --binder-cell-code-keyword: #cf222e;
    --binder-cell-code-string: #0a3069;
    --binder-cell-code-number: #0550ae;
    --binder-cell-code-comment: #59636e;
    --binder-cell-code-function: #8250df;

    display: block;
    margin: 1em 0;
    color: var(--binder-cell-foreground);
    font-family: system-ui, sans-serif;
    border: 1px solid var(--binder-cell-border);
    border-radius: var(--binder-cell-radius);
    background: var(--binder-cell-background);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --binder-cell-background: #161b22;
      --binder-cell-foreground: #e6edf3;
      --binder-cell-muted: #9198a1;
      --binder-cell-border: #3d444d;
      --binder-cell-accent: #4493f8;
      --binder-cell-accent-text: #0d1117;
      --binder-cell-error: #ff7b72;
      --binder-cell-output-background: #0d1117;
      --binder-cell-code-keyword: #ff7b72;
      --binder-cell-code-string: #a5d6ff;
      --binder-cell-code-number: #79c0ff;
      --binder-cell-code-comment: #9198a1;
      --binder-cell-code-function: #d2a8ff;
    }
  }

  :host([hidden]) {
    display: none;
  }

  :host([code-hidden]) .code,
  :host([code-hidden]) .toolbar button,
  :host([code-hidden]) .count,
  :host([code-hidden]) .toolbar:has(.status:empty) {
    display: none;
  }

  :host(:focus-visible) {
    outline: 2px solid var(--binder-cell-accent);
    outline-offset: 2px;
  }

  pre {
    margin: 0;
    font-family: var(--binder-cell-font);
    font-size: var(--binder-cell-font-size);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .code {
    padding: 0.75em 1em;
  }

  .code > pre {
    line-height: var(--binder-cell-line-height);
    white-space: pre;
    overflow-wrap: normal;
    overflow-x: auto;
    tab-size: 4;
    min-height: 1lh;
  }

  .code > pre > code {
    font: inherit;
  }

  .tok-keyword {
    color: var(--binder-cell-code-keyword);
  }

  .tok-string {
    color: var(--binder-cell-code-string);
  }

  .tok-number {
    color: var(--binder-cell-code-number);
  }

  .tok-comment {
    color: var(--binder-cell-code-comment);
    font-style: italic;
  }

  .tok-function {
    color: var(--binder-cell-code-function);
  }

  .toolbar {
    display: flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.375em 0.75em;
    border-top: 1px solid var(--binder-cell-border);
    font-size: 0.8125rem;
  }

  button {
    font: inherit;
    padding: 0.25em 0.75em;
    border-radius: var(--binder-cell-radius);
    border: 1px solid var(--binder-cell-accent);
    background: var(--binder-cell-accent);
    color: var(--binder-cell-accent-text);
    cursor: pointer;
  }

  button.secondary {
    background: transparent;
    color: var(--binder-cell-accent);
  }

  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }

  button:focus-visible {
    outline: 2px solid var(--binder-cell-accent);
    outline-offset: 2px;
  }

  .count {
    font-family: var(--binder-cell-font);
    color: var(--binder-cell-muted);
  }

  .status {
    flex: 1;
    min-width: 0;
    color: var(--binder-cell-muted);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .status.problem {
    color: var(--binder-cell-error);
    white-space: pre-wrap;
  }

  .outputs:not(:empty) {
    border-top: 1px solid var(--binder-cell-border);
    background: var(--binder-cell-output-background);
    padding: 0.75em 1em;
    border-radius: 0 0 var(--binder-cell-radius) var(--binder-cell-radius);
    overflow-x: auto;
  }

  :host([code-hidden]) .outputs:not(:empty) {
    border-top: none;
  }

  /* Pre-rendered outputs look like the live ones that replace them: no space of their
     own above or below, code font in pre (slotted-outputs.ts: what is inside them). */
  ::slotted(*) {
    margin-block: 0;
  }

  ::slotted(pre) {
    font-family: var(--binder-cell-font);
    font-size: var(--binder-cell-font-size);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .outputs.empty {
    display: none;
  }

  .log {
    max-height: 12em;
    overflow: auto;
    padding: 0.5em 1em;
    border-top: 1px solid var(--binder-cell-border);
    color: var(--binder-cell-muted);
    font-size: 0.75rem;
    white-space: pre-wrap;
  }

  .outputs > * + * {
    margin-top: 0.5em;
  }

  .stream.stderr {
    background: color-mix(in srgb, var(--binder-cell-error) 8%, transparent);
  }

  /* Notes on outputs the page does not show whole: muted, an error colour is for failures. */
  .note {
    margin: 0;
    font-size: 0.8125rem;
    color: var(--binder-cell-muted);
  }

  .truncation {
    margin: 0.25em 0;
    color: var(--binder-cell-muted);
    font-size: 0.8125rem;
  }

  .truncation button {
    margin-left: 0.5em;
    padding: 0 0.5em;
  }

  .cut {
    color: var(--binder-cell-muted);
  }

  /* A thousand lines of a stream shown whole: laid out only near the viewport. */
  .stream .block {
    display: block;
    content-visibility: auto;
    contain-intrinsic-block-size: auto calc(1000 * 1lh);
  }

  .error {
    color: var(--binder-cell-foreground);
    background: color-mix(in srgb, var(--binder-cell-error) 10%, transparent);
    padding: 0.25em;
  }

  img {
    max-width: 100%;
    height: auto;
  }
`;

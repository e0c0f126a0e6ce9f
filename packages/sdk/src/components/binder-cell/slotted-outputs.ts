import { css } from 'lit';
import { adoptSheets } from '../../renderers/adopt-sheets.js';

/**
 * Pre-rendered outputs (`slot="output"`) are the page's own elements: the cell's
 * `::slotted` rules (binder-cell.styles.ts) reach them but not what is inside them, such
 * as the `<pre>` in Thebe's `<div data-output><pre>…</pre></div>`. These document rules
 * give that the look of the live output that replaces it. `:where()` leaves them no
 * specificity, so they win over the browser's defaults only, never over the page's rules.
 */
const nestedOutputStyles = css`
  :where(binder-cell > [slot='output'] > :first-child) {
    margin-block-start: 0;
  }

  :where(binder-cell > [slot='output'] > :last-child) {
    margin-block-end: 0;
  }

  :where(binder-cell > [slot='output'] pre) {
    font-family: var(--binder-cell-font);
    font-size: var(--binder-cell-font-size);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
`;

/** Adds the rules above to the document, once (cells with pre-rendered outputs call it). */
export function adoptNestedOutputStyles(): void {
  const sheet = nestedOutputStyles.styleSheet;
  if (sheet) adoptSheets(document, [sheet]);
}

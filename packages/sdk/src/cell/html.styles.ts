import { css } from 'lit';

/**
 * Tables in HTML and Markdown outputs (pandas DataFrames above all) the way JupyterLab
 * shows them: a ruled header, no cell borders, right-aligned cells, zebra rows and a
 * hover highlight, in the cell's colours. pandas' own `<style>` and `border="1"` give
 * way; a Markdown column's alignment (`:--`, `:-:`, `--:`, an `align` attribute) stays.
 * Adopted by the cell's shadow root with its first HTML or Markdown output (see
 * sanitised-html.ts, render-rich.ts).
 */
export const htmlStyles = css`
  :is(.html, .markdown) table {
    border-collapse: collapse;
    border-spacing: 0;
    border: none;
    font-size: 0.8125rem;
    font-variant-numeric: tabular-nums;
    table-layout: fixed;
    margin: 0;
  }

  :is(.html, .markdown) thead {
    border-bottom: 1px solid var(--binder-cell-muted);
    vertical-align: bottom;
  }

  :is(.html, .markdown) :is(th, td, tr) {
    text-align: right;
    vertical-align: middle;
    padding: 0.5em;
    line-height: normal;
    white-space: normal;
    border: none;
  }

  :is(.html, .markdown) th {
    font-weight: bold;
  }

  :is(.html, .markdown) :is(th, td)[align='left' i] {
    text-align: left;
  }

  :is(.html, .markdown) :is(th, td)[align='center' i] {
    text-align: center;
  }

  :is(.html, .markdown) tbody tr:nth-child(even) {
    background: color-mix(in srgb, var(--binder-cell-foreground) 5%, transparent);
  }

  :is(.html, .markdown) tbody tr:hover {
    background: color-mix(in srgb, var(--binder-cell-accent) 12%, transparent);
  }
`;

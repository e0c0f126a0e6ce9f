import { css } from 'lit';

/**
 * Tables in HTML outputs (pandas DataFrames above all) the way JupyterLab shows them:
 * a ruled header, no cell borders, right-aligned cells, zebra rows and a hover
 * highlight, in the cell's colours. pandas' own `<style>` and `border="1"` give way.
 * Adopted by the cell's shadow root with its first HTML output (see sanitised-html.ts).
 */
export const htmlStyles = css`
  .html table {
    border-collapse: collapse;
    border-spacing: 0;
    border: none;
    font-size: 0.8125rem;
    font-variant-numeric: tabular-nums;
    table-layout: fixed;
    margin: 0;
  }

  .html thead {
    border-bottom: 1px solid var(--binder-cell-muted);
    vertical-align: bottom;
  }

  .html th,
  .html td,
  .html tr {
    text-align: right;
    vertical-align: middle;
    padding: 0.5em;
    line-height: normal;
    white-space: normal;
    border: none;
  }

  .html th {
    font-weight: bold;
  }

  .html tbody tr:nth-child(even) {
    background: color-mix(in srgb, var(--binder-cell-foreground) 5%, transparent);
  }

  .html tbody tr:hover {
    background: color-mix(in srgb, var(--binder-cell-accent) 12%, transparent);
  }
`;

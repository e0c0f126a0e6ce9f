import { css } from 'lit';

/**
 * Plot outputs: the loading line, the reason a plot cannot be shown (a failure; a note
 * has the cell's `.note` look), the plot's box.
 * Adopted by the cell's shadow root with its first plot (see draw-plot.ts).
 */
export const plotStyles = css`
  .plot-loading,
  .plot-problem {
    margin: 0;
    font-size: 0.8125rem;
    color: var(--binder-cell-muted);
  }

  .plot-problem {
    color: var(--binder-cell-error);
  }

  .plot-target {
    position: relative;
    max-width: 100%;
  }
`;

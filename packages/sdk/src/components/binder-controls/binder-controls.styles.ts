import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    margin: 1em 0;
    font-family: system-ui, sans-serif;
    font-size: 0.875rem;
    color: var(--binder-cell-foreground, #1f2328);
  }

  button {
    font: inherit;
    padding: 0.25em 0.75em;
    border-radius: var(--binder-cell-radius, 6px);
    border: 1px solid var(--binder-cell-accent, #0969da);
    background: transparent;
    color: var(--binder-cell-accent, #0969da);
    cursor: pointer;
  }

  button.primary {
    background: var(--binder-cell-accent, #0969da);
    color: var(--binder-cell-accent-text, #ffffff);
  }

  button:focus-visible {
    outline: 2px solid var(--binder-cell-accent, #0969da);
    outline-offset: 2px;
  }

  .status {
    color: var(--binder-cell-muted, #59636e);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      color: var(--binder-cell-foreground, #e6edf3);
    }
  }
`;

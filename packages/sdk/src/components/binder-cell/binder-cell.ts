import { BinderCell } from './binder-cell.component.js';

export { BinderCell };

if (!customElements.get('binder-cell')) customElements.define('binder-cell', BinderCell);

declare global {
  interface HTMLElementTagNameMap {
    'binder-cell': BinderCell;
  }
}

import { BinderControls } from './binder-controls.component.js';

export { BinderControls };

if (!customElements.get('binder-controls'))
  customElements.define('binder-controls', BinderControls);

declare global {
  interface HTMLElementTagNameMap {
    'binder-controls': BinderControls;
  }
}

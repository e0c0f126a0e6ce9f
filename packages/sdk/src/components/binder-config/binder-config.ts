import { BinderConfig } from './binder-config.component.js';

export { BinderConfig };

if (!customElements.get('binder-config')) customElements.define('binder-config', BinderConfig);

declare global {
  interface HTMLElementTagNameMap {
    'binder-config': BinderConfig;
  }
}

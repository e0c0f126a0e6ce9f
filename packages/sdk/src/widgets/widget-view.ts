import type { DOMWidgetView } from '@jupyter-widgets/base';
import { Widget } from '@lumino/widgets';
import { managerOwning } from './managers.js';
import { adoptWidgetStyles } from './widget-styles.js';

/**
 * `<binder-widget-view model-id="...">`: shows a view of a widget model. Until the model
 * is known (or when its kernel is gone) it keeps its text, the output's text/plain.
 */
export class BinderWidgetView extends HTMLElement {
  private view: DOMWidgetView | undefined;

  connectedCallback(): void {
    if (!this.view) void this.show();
  }

  disconnectedCallback(): void {
    this.view?.remove();
    this.view = undefined;
  }

  private async show(): Promise<void> {
    const modelId = this.getAttribute('model-id') ?? '';
    const manager = managerOwning(modelId);
    if (!manager) return;
    const model = await manager.get_model(modelId);
    const view = await manager.create_view<DOMWidgetView>(model);
    if (!this.isConnected || this.view) {
      view.remove();
      return;
    }
    this.view = view;
    adoptWidgetStyles(this.getRootNode());
    this.replaceChildren();
    Widget.attach(view.luminoWidget, this);
  }
}

import { html } from 'lit';
import type { TemplateResult } from 'lit';

/** A widget view; `<binder-widget-view>` draws it once the widget manager has its model. */
export function widgetOutput(value: string, alt: string | undefined): TemplateResult {
  let modelId = '';
  try {
    modelId = (JSON.parse(value) as { model_id?: string }).model_id ?? '';
  } catch {
    // no model: the fallback text shows
  }
  return html`<binder-widget-view part="output widget" class="widget" model-id=${modelId}
    >${alt ?? ''}</binder-widget-view
  >`;
}

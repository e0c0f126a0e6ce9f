import type { BinderErrorEvent } from './binder-error-event.js';
import type { BinderOutputEvent } from './binder-output-event.js';
import type { BinderStatusEvent } from './binder-status-event.js';

export { BinderStatusEvent } from './binder-status-event.js';
export type { BinderStatusDetail, RunState } from './binder-status-event.js';
export { BinderOutputEvent } from './binder-output-event.js';
export type { BinderOutputDetail } from './binder-output-event.js';
export { BinderErrorEvent } from './binder-error-event.js';
export type { BinderErrorDetail } from './binder-error-event.js';

declare global {
  interface HTMLElementEventMap {
    'binder-cell-status': BinderStatusEvent;
    'binder-cell-output': BinderOutputEvent;
    'binder-cell-error': BinderErrorEvent;
  }
}

import { startThebeCompat } from './compat/thebe-global.js';
export { BinderCell } from './components/binder-cell/binder-cell.js';
export { BinderConfig } from './components/binder-config/binder-config.js';
export { BinderControls } from './components/binder-controls/binder-controls.js';
export {
  activate,
  downloadNotebook,
  interrupt,
  notebook,
  restart,
  restartAndRunAll,
  runAll,
} from './api.js';
export type { Scope } from './api.js';
export * from './events/index.js';
export type { ServerKind, SessionSettings } from './settings.js';
export type { KernelSession, SessionState, SessionStatus } from './session/kernel-session.js';
export type { Output } from './cell/output-model.js';
export type { ThebeGlobal } from './compat/thebe-global.js';

// Pages written for Thebe run on binder-cell with this script alone (docs/thebe.md).
startThebeCompat();

export { BinderCell } from './components/binder-cell/binder-cell.js';
export { BinderConfig } from './components/binder-config/binder-config.js';
export type { SessionSettings } from './settings.js';
export type { SessionState, SessionStatus } from './session/kernel-session.js';
export type { Output } from './cell/output-model.js';

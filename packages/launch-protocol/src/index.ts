export * from './phases.js';
export * from './events.js';
export * from './request.js';
export * from './session.js';
export * from './spec.js';
export * from './binderhub.js';
export { ProtocolError } from './validate.js';

export { startServer } from './server.js';
export type { BinderCellServer, ServerOptions } from './server.js';
export { loadConfig, parseConfig, ConfigError } from './config.js';
export type { Config, ConfigInput } from './config.js';
export { createLogger } from './logger.js';

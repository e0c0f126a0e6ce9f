export { startServer } from './app.js';
export type { BinderCellServer, ServerOptions } from './app.js';
export { loadConfig, parseConfig, ConfigError } from './config.js';
export type { Config, ConfigInput } from './config.js';
export { createLogger } from './logger.js';

export { loadConfig, ConfigError, type Config } from './load-config.js';
export { configSchema } from './schema.js';
export { parseDuration } from './duration.js';

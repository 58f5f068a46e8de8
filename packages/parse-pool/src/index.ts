export {
  createParsePool,
  type ParseFn,
  type ParseHints,
  type ParsePool,
  type ParsePoolOptions,
  type ParsePoolStats,
} from './parse-pool.js';

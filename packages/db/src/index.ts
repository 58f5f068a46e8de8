export { createPool, withTransaction, type Pool, type PoolClient, type Queryable } from './pool.js';
export { migrate, createDatabaseIfMissing, readMigrations, MIGRATIONS_DIR, type Migration } from './migrate.js';
export * from './queries/feeds.js';
export * from './queries/outlets.js';
export * from './queries/articles.js';
export * from './queries/stories.js';
export * from './queries/topics.js';
export { connectWithRetry } from './connect-retry.js';
export * from './queries/clustering.js';

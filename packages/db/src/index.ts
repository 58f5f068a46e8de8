export { createPool, withTransaction, type Pool, type PoolClient, type Queryable } from './pool.js';
export { openLeaderSession, withStoriesLocked, type LeaderSession, type StoryTx } from './story-lock.js';
export { migrate, createDatabaseIfMissing, readMigrations, MIGRATIONS_DIR, type Migration } from './migrate.js';
export * from './queries/feeds.js';
export * from './queries/feeds-bulk.js';
export * from './queries/outlets.js';
export * from './queries/articles.js';
export {
  claimEntryBatches,
  countEntryBatches,
  deleteEntryBatch,
  loadEntryBatch,
  recordEntryBatchFailure,
  storeEntryBatches,
  type BatchChunk,
  type EntryBatch,
  type EntryBatchCounts,
  type EntryBatchRef,
} from './queries/entry-batches.js';
export * from './queries/stories.js';
export * from './queries/topics.js';
export { connectWithRetry } from './connect-retry.js';
export * from './queries/clustering.js';
export * from './queries/corrections.js';
export * from './queries/topic-membership.js';
export * from './queries/story-engine.js';
export * from './queries/settle.js';
export { countUnpostedArticles, noteUnpostedArticles, postUnpostedArticles } from './queries/unposted-articles.js';
export { listenForChanges, CHANGES_CHANNEL, type ChangeListener, type ChangeEvent, type ListenOptions } from './change-listener.js';

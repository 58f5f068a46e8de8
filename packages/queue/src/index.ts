export * from './jobs.js';
export { createRedis } from './connection.js';
export { BATCH_LEASE_MS, batchJobId, createQueues, enqueueBatches, enqueueFetches, isJobGoneError, pendingJobs, redisReady, WORKER_LOCK_OPTIONS, type Queues } from './queues.js';

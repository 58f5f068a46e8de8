export * from './jobs.js';
export { createRedis } from './connection.js';
export { createQueues, enqueueFetches, enqueueNormalize, pendingJobs, type Queues } from './queues.js';

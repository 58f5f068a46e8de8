import { Worker, type ConnectionOptions } from 'bullmq';
import type { Pool } from '@newsfold/db';
import type { Logger } from '@newsfold/logging';
import { FETCH_QUEUE, createQueues, type FetchJobData } from '@newsfold/queue';
import { fetchFeed, type FetchFeedDeps, type FetchFeedOutcome } from './fetch-feed.js';
import { startScheduler } from './scheduler.js';
import type { IntervalBounds } from './schedule.js';

export interface PollerOptions {
  pool: Pool;
  connection: ConnectionOptions;
  prefix: string;
  log: Logger;
  fetch: FetchFeedDeps['fetch'];
  bounds: IntervalBounds;
  concurrency: number;
  tickIntervalMs?: number;
}

export interface Poller {
  close(): Promise<void>;
}

/** The poller service: the scheduler tick plus fetch workers. */
export function startPoller(options: PollerOptions): Poller {
  const queues = createQueues(options.connection, options.prefix);
  const deps: FetchFeedDeps = {
    pool: options.pool,
    normalizeQueue: queues.normalize,
    log: options.log,
    fetch: options.fetch,
    bounds: options.bounds,
  };
  const worker = new Worker<FetchJobData, FetchFeedOutcome>(
    FETCH_QUEUE,
    async (job) => fetchFeed({ ...deps, log: options.log.child({ jobId: job.id }) }, job.data.feedId),
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency },
  );
  worker.on('error', (error) => options.log.error({ err: error }, 'fetch worker error'));
  worker.on('failed', (job, error) => options.log.error({ feedId: job?.data.feedId, jobId: job?.id, err: error }, 'fetch job failed'));
  const scheduler = startScheduler({
    pool: options.pool,
    fetchQueue: queues.fetch,
    log: options.log,
    intervalMs: options.tickIntervalMs ?? 2_000,
    leaseMs: options.fetch.timeoutMs * 3 + 60_000,
  });
  return {
    close: async () => {
      await scheduler.stop();
      await worker.close();
      await queues.close();
    },
  };
}

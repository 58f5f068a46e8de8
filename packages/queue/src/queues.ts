import { Queue, type ConnectionOptions, type JobsOptions, type WorkerOptions } from 'bullmq';
import { FETCH_QUEUE, NORMALIZE_QUEUE, type FetchJobData, type NormalizeJobData } from './jobs.js';

export interface Queues {
  fetch: Queue<FetchJobData>;
  normalize: Queue<NormalizeJobData>;
  close(): Promise<void>;
}

// Finished jobs are removed at once: Postgres keeps the record of what happened, and a job id
// that lingered would block the next enqueue of the same feed (BullMQ ignores a duplicate id).
const FETCH_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: true,
  removeOnFail: true,
};

// Few retries in Redis: Postgres keeps the batch, and a normalizer queues it again once these run
// out (recordEntryBatchFailure says when). Nothing is kept in Redis after a failure either, or the
// job id would block that second chance.
const NORMALIZE_OPTIONS: JobsOptions = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: true,
};

/**
 * How fast a job whose worker died (killed, out of memory, its host gone) is noticed and run again:
 * its lock lapses after `lockDuration` without renewal (renewed every half of it while the worker
 * lives), and every worker checks for such jobs every `stalledInterval`, so within about 13 s.
 * BullMQ's 30 s and 30 s left a killed worker's job waiting up to a minute. The cost is a job run
 * twice should its worker's event loop stall for 5 s (harmless: every job is idempotent; neither
 * fetching, parsing on threads, nor normalising holds the loop that long). A job that stalls more
 * than `maxStalledCount` times fails; Postgres keeps what it was about (a due feed, an entry
 * batch), so that only ends the job, not the work.
 */
export const WORKER_LOCK_OPTIONS: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> = {
  lockDuration: 10_000,
  stalledInterval: 3_000,
  maxStalledCount: 1,
};

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const fetch = new Queue<FetchJobData>(FETCH_QUEUE, { connection, prefix, defaultJobOptions: FETCH_OPTIONS });
  const normalize = new Queue<NormalizeJobData>(NORMALIZE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: NORMALIZE_OPTIONS,
  });
  return {
    fetch,
    normalize,
    close: async () => {
      // A queue still starting (its Redis version check in flight) would see that command fail,
      // unhandled, once the caller closes the shared connection right after this. With Redis away
      // that check waits for ever: then there is nothing to wait for.
      if (redisReady(connection)) await Promise.allSettled([fetch.waitUntilReady(), normalize.waitUntilReady()]);
      await Promise.all([fetch.close(), normalize.close()]);
    },
  };
}

/**
 * Whether a connection given to BullMQ is connected now: an ioredis client says so; connection
 * options (BullMQ makes its own clients) are taken to be. A worker closing while Redis is away
 * must not wait for its running jobs nor say goodbye to Redis (ioredis' QUIT would wait for a
 * reconnection for ever, since workers retry commands without limit): it closes by force.
 */
export function redisReady(connection: ConnectionOptions): boolean {
  const status = (connection as { status?: unknown }).status;
  return typeof status !== 'string' || status === 'ready';
}

/** One pending fetch per feed: the job id is the feed's, so a second enqueue while one waits is a no-op. */
export async function enqueueFetches(queue: Queue<FetchJobData>, feedIds: string[]): Promise<void> {
  if (feedIds.length === 0) return;
  await queue.addBulk(feedIds.map((feedId) => ({ name: 'fetch', data: { feedId }, opts: { jobId: `feed-${feedId}` } })));
}

/**
 * How long a stored entry batch waits for the job queued for it before a normalizer queues it
 * again (which does nothing while the job is still in Redis): the longest a batch whose job Redis
 * lost waits, short of a normalizer noticing that Redis lost everything.
 */
export const BATCH_LEASE_MS = 20_000;

/** BullMQ's highest priority number. */
const MAX_PRIORITY = 2_097_152;

/**
 * One normalize job per stored entry batch, its id the batch's: queueing a batch whose job is still
 * waiting or running does nothing, so a batch can be queued again whenever its job may have been
 * lost. A batch's priority is its chunk: every feed's first chunk comes before any feed's second,
 * so a feed subscribed behind a 100k-entry one waits for one chunk, not for the whole feed.
 */
export async function enqueueBatches(
  queue: Queue<NormalizeJobData>,
  batches: readonly { id: string; feedId: string; chunk: number }[],
): Promise<void> {
  if (batches.length === 0) return;
  await queue.addBulk(
    batches.map((b) => ({
      name: 'normalize',
      data: { batchId: b.id, feedId: b.feedId },
      opts: { jobId: batchJobId(b.id), priority: Math.min(b.chunk + 1, MAX_PRIORITY) },
    })),
  );
}

export function batchJobId(batchId: string): string {
  return `batch-${batchId}`;
}

/** Jobs not yet finished (waiting, delayed, prioritized or running). */
export async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * BullMQ's errors when a job's keys vanished from Redis under a worker still running it (Redis
 * wiped, or restarted without persistence): the job's work is recorded in Postgres and queued
 * again from there, so this says that Redis lost data, not that a job went wrong.
 */
export function isJobGoneError(error: unknown): boolean {
  // "Lock mismatch": the job was queued again (from Postgres) and another worker holds it now;
  // "could not renew lock": its lock key is gone, with the rest of Redis' data.
  return error instanceof Error && /^(Missing (key|lock) for job |Lock mismatch for job |could not renew lock for job )/.test(error.message);
}

import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
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

const NORMALIZE_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
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
      // unhandled, once the caller closes the shared connection right after this.
      await Promise.allSettled([fetch.waitUntilReady(), normalize.waitUntilReady()]);
      await Promise.all([fetch.close(), normalize.close()]);
    },
  };
}

/** One pending fetch per feed: the job id is the feed's, so a second enqueue while one waits is a no-op. */
export async function enqueueFetches(queue: Queue<FetchJobData>, feedIds: string[]): Promise<void> {
  if (feedIds.length === 0) return;
  await queue.addBulk(feedIds.map((feedId) => ({ name: 'fetch', data: { feedId }, opts: { jobId: `feed-${feedId}` } })));
}

/**
 * One normalize job per fetched body. The id includes the body hash: a poller that crashed after
 * enqueueing and fetches the same body again does not queue the same work twice.
 */
export async function enqueueNormalize(
  queue: Queue<NormalizeJobData>,
  data: NormalizeJobData,
  bodyHash: string,
): Promise<string> {
  const job = await queue.add('normalize', data, { jobId: `norm-${data.feedId}-${bodyHash.slice(0, 32)}` });
  return job.id ?? '';
}

/** Jobs not yet finished (waiting, delayed, prioritized or running). */
export async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

import type { Queue } from 'bullmq';
import { storeEntryBatches, type EntryBatchRef, type Pool } from '@newsfold/db';
import { BATCH_LEASE_MS, enqueueBatches, type FetchedEntries, type NormalizeJobData } from '@newsfold/queue';

/**
 * Hands fetched entries to the normalizers as the poller does after a fetch (an entry batch in
 * Postgres, a job in Redis pointing at it), for tests that start from entries rather than a feed.
 * `bodyHash` stands for the fetched body: the same one twice is one batch.
 */
export async function queueEntries(pool: Pool, queue: Queue<NormalizeJobData>, fetched: FetchedEntries, bodyHash: string): Promise<EntryBatchRef> {
  const [batch] = await storeEntryBatches(pool, fetched.feedId, bodyHash, [{ entries: fetched.entries.length, payload: fetched }], { dueInMs: BATCH_LEASE_MS });
  if (!batch) throw new Error('no batch stored');
  await enqueueBatches(queue, [batch]);
  return batch;
}

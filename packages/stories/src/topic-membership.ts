import { markTopicMembersAt, recomputeTopicBatch, RECOMPUTE_BATCH, topicMembershipState, type Pool } from '@newsfold/db';
import { withStoryWrite } from './story-write.js';

/**
 * Rebuilds one topic's membership from every story, in batches of `batchSize` stories by id, each
 * its own short story write (so an article being placed never interleaves with a batch). Then
 * records the definition it was computed for (`members_at`). If the topic changed meanwhile, it
 * runs again. Returns false when the topic does not exist. Idempotent, and safe to run from
 * several processes at once.
 */
export async function recomputeTopic(pool: Pool, slug: string, options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<boolean> {
  const batchSize = options.batchSize ?? RECOMPUTE_BATCH;
  for (let round = 0; round < 5; round += 1) {
    const topic = await topicMembershipState(pool, slug);
    if (!topic) return false;
    if (topic.current) return true;
    if (slug !== 'all') {
      let after: string | null = '0';
      while (after !== null) {
        if (options.signal?.aborted) return true;
        const from: string = after;
        after = await withStoryWrite(pool, (tx) => recomputeTopicBatch(tx, slug, from, batchSize));
      }
    }
    await markTopicMembersAt(pool, slug, topic.version);
  }
  return true;
}

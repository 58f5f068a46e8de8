import type { Pool } from '@newsfold/db';
import { StoryEngine, type BatchResult, type StoryEngineOptions } from './story-engine.js';

/**
 * Places every pending article now, batch after batch, in this process (tests, benchmarks, a
 * command that cannot wait for the assigner). The running assigner, if any, notices the story
 * revision move and reloads what it holds. Postings left for later are written before it returns.
 */
export async function placePending(pool: Pool, options: StoryEngineOptions): Promise<BatchResult> {
  const engine = new StoryEngine(pool, options);
  const total: BatchResult = { placed: 0, newStories: 0, merges: 0, loadSeconds: 0, posted: 0, seconds: 0 };
  for (;;) {
    const batch = await engine.placeBatch();
    total.posted += batch.posted;
    if (batch.placed === 0 && batch.posted === 0) return total;
    total.placed += batch.placed;
    total.newStories += batch.newStories;
    total.merges += batch.merges;
    total.loadSeconds += batch.loadSeconds;
    total.seconds += batch.seconds;
  }
}

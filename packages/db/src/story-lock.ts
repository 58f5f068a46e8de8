import type pg from 'pg';
import { withTransaction } from './pool.js';

// Any constant works; it only has to be the same for every newsfold process sharing a database.
const STORY_LOCK = 7_310_432_120;

declare const storyWrite: unique symbol;

/**
 * A transaction holding the story lock, held to its commit: what every write of stories needs
 * (placing articles, merging, splitting, refreshing stories and their topic membership), so that
 * no two of them interleave, and that story revisions are stamped in commit order (see
 * refreshStories). The queries that write stories take one; the only way to get one is
 * withStoriesLocked, which only @newsfold/stories calls (its withStoryWrite).
 */
export type StoryTx = pg.PoolClient & { readonly [storyWrite]: true };

/** Runs fn in a transaction that holds the story lock. For @newsfold/stories only. */
export async function withStoriesLocked<T>(pool: pg.Pool, fn: (tx: StoryTx) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [STORY_LOCK]);
    return fn(tx as StoryTx);
  });
}

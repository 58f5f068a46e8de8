import { withStoriesLocked, type Pool, type StoryTx } from '@newsfold/db';

/**
 * The only way to open a story-writing transaction: placing articles, merging, splitting,
 * refreshing stories and their topic membership, removing a feed's articles. It holds the story
 * lock to its commit, so story writes never interleave and their revisions are stamped in commit
 * order; every db query that writes stories takes the StoryTx it hands out.
 */
export function withStoryWrite<T>(pool: Pool, fn: (tx: StoryTx) => Promise<T>): Promise<T> {
  return withStoriesLocked(pool, fn);
}

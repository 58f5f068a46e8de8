import { bumpStoryRevision, deleteFeed, refreshFeedMembership, updateFeed, type FeedPatch, type FeedRow, type Pool } from '@newsfold/db';
import { withStoryWrite } from './story-write.js';

/**
 * Unsubscribes from a feed: its articles go (those another feed also carries pass to it), and the
 * stories that lost any are refreshed or, left empty, deleted (and the assigner, told by the story
 * revision, forgets them). False when there is no such feed.
 */
export function removeFeed(pool: Pool, id: string): Promise<boolean> {
  return withStoryWrite(pool, async (tx) => {
    const removed = await deleteFeed(tx, id);
    if (removed) await bumpStoryRevision(tx);
    return removed;
  });
}

/**
 * Applies an admin's change to a feed (null when there is no such feed). A change of tags moves
 * the feed's stories between topics, in the same story write: an article of this feed placed
 * meanwhile cannot join with the old tags after the membership was recomputed.
 */
export function changeFeed(pool: Pool, id: string, patch: FeedPatch): Promise<{ feed: FeedRow; tagsChanged: boolean } | null> {
  return withStoryWrite(pool, async (tx) => {
    const result = await updateFeed(tx, id, patch);
    if (result?.tagsChanged) await refreshFeedMembership(tx, id);
    return result;
  });
}

/**
 * The topics page's story counts. (A topic page reads its stories with readTopicStories, as the
 * topic feeds do, so a page and its feed always list the same stories.)
 */
import {
  countStories,
  countTopicStories,
  servedByMembership,
  type Pool,
  type TopicRow,
} from '@newsfold/db';

/** Counts on the topics page stop here ("10000+ stories"): every visit counts again. */
export const PAGE_COUNT_LIMIT = 10_000;

/**
 * A topic's story count for the topics page, up to PAGE_COUNT_LIMIT + 1 (more means "over the
 * limit"): one bounded index range over its membership rows, or a bounded scan of the stories
 * table for `all`. Null while a topic's membership is being recomputed (the page then leaves the
 * number out rather than show a stale one).
 */
export async function topicStoryCount(pool: Pool, topic: TopicRow): Promise<number | null> {
  const upTo = PAGE_COUNT_LIMIT + 1;
  if (topic.slug === 'all') return topic.minSources <= 1 ? countStories(pool, upTo) : null;
  return servedByMembership(topic, topic.minSources) ? countTopicStories(pool, topic.slug, upTo) : null;
}

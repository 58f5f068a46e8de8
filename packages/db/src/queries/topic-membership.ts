import type { Queryable } from '../pool.js';
import type { StoryTx } from '../story-lock.js';
import { attachSources, STORY_COLUMNS, type StoryRow, type StoryWithSources } from './story-rows.js';

/**
 * Topic membership: `topic_stories` holds the stories each topic (except the built-in `all`,
 * which is every story) contains, so a topic feed reads one index range instead of filtering
 * every story.
 *
 * A story belongs to a topic when all of these hold (an empty `tags` or `query` restricts nothing):
 * - tags: one of its articles is carried by a feed (article_feeds) with one of the topic's tags;
 * - query: `websearch_to_tsquery('simple', query) @@ stories.search` (title A, summary B);
 * - minSources: `source_count >= min_sources`.
 *
 * Kept current two ways:
 * - per story: `refreshStories` (which every writer of stories calls: the normalizer's
 *   assignment, corrections, feed deletion) calls `refreshTopicMembership` for the stories it
 *   refreshed, in the same transaction. Deleted stories leave by FK cascade too.
 * - per topic: when a topic is created or its definition changes, its `updated_at` moves past
 *   `members_at`, and `recomputeTopic` rebuilds its rows in bounded batches (the API runs it in
 *   the background, `topics set` synchronously, and the API sweeps stale topics at start and
 *   periodically: `staleTopics`, then `recomputeTopic` for each). Until it finishes, readers filter stories
 *   directly (see `readTopicStories` in topics.ts), so a feed is never wrong, only slower.
 *
 * `topics.revised_at` moves whenever a topic's content changes (a story joined, left or changed):
 * with `updated_at`, the validator for conditional GET, independent of unrelated stories.
 */

/**
 * Whether a topic query (web-search syntax) has something to search for. websearch_to_tsquery
 * never fails to parse; input of only punctuation or operators comes out empty and matches nothing.
 */
export async function isSearchableQuery(db: Queryable, query: string): Promise<boolean> {
  const { rows } = await db.query<{ nodes: number }>(`SELECT numnode(websearch_to_tsquery('simple', $1)) AS nodes`, [query]);
  return (rows[0]?.nodes ?? 0) > 0;
}

/**
 * Counts a topic's member stories (one index range; `all` is not counted here: use countStories).
 * With `upTo`, stops there: the count is then min(count, upTo).
 */
export async function countTopicStories(db: Queryable, slug: string, upTo: number | null = null): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM (SELECT 1 FROM topic_stories WHERE topic = $1 LIMIT $2) m',
    [slug, upTo],
  );
  return rows[0]?.n ?? 0;
}

/** Stories per recompute batch: each batch is one short story-writing transaction. */
export const RECOMPUTE_BATCH = 1000;

/**
 * The (topic, story_id, updated_at) rows that should exist for the candidate stories in the CTE
 * `target` and the topics in `tq`. Stories without articles (about to be deleted) belong nowhere.
 */
const DESIRED = `
  story_tags AS (
    -- Not looked up at all when no topic filters by tag (a third of the statement's time).
    SELECT a.story_id, array_agg(DISTINCT tag) AS tags
    FROM articles a JOIN article_feeds af ON af.article_id = a.id JOIN feeds f ON f.id = af.feed_id
    CROSS JOIN LATERAL unnest(f.tags) AS tag
    WHERE a.story_id IN (SELECT id FROM target) AND EXISTS (SELECT 1 FROM tq WHERE cardinality(tq.tags) > 0)
    GROUP BY a.story_id),
  desired AS (
    SELECT tq.slug AS topic, s.id AS story_id, s.updated_at
    FROM tq JOIN target s ON s.source_count >= tq.min_sources
    LEFT JOIN story_tags st ON st.story_id = s.id
    WHERE (cardinality(tq.tags) = 0 OR st.tags && tq.tags)
      AND (tq.q IS NULL OR s.search @@ tq.q)
      AND EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id))`;

/** Topics with their query parsed once; `scope` narrows them (never `all`). */
const topicsWhere = (scope: string) => `
  tq AS (
    SELECT slug, tags, min_sources,
           CASE WHEN coalesce(btrim(query), '') = '' THEN NULL ELSE websearch_to_tsquery('simple', query) END AS q
    FROM topics WHERE slug <> 'all' AND ${scope})`;

/**
 * Marks topics changed (revised_at), locking their rows in slug order so concurrent writers
 * (an assignment, a feed deletion) can never deadlock on them.
 */
const BUMP = (slugs: string) => `
  UPDATE topics t SET revised_at = clock_timestamp()
  FROM (SELECT slug FROM topics WHERE slug IN (${slugs}) ORDER BY slug FOR NO KEY UPDATE) l
  WHERE t.slug = l.slug`;

/**
 * Recomputes the given stories' membership in every topic (except `all`): rows are inserted,
 * updated (`updated_at` follows the story) or deleted, and every topic that holds or held one of
 * them is marked changed. Called by `refreshStories`; one statement.
 */
export async function refreshTopicMembership(db: StoryTx, storyIds: string[]): Promise<void> {
  if (storyIds.length === 0) return;
  await db.query(
    `WITH target AS (
       SELECT s.id, s.updated_at, s.source_count, s.search FROM stories s WHERE s.id = ANY($1::bigint[])),
     ${topicsWhere('true')},
     ${DESIRED},
     removed AS (
       DELETE FROM topic_stories ts WHERE ts.story_id = ANY($1::bigint[])
         AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.topic = ts.topic AND d.story_id = ts.story_id)
       RETURNING ts.topic),
     kept AS (
       INSERT INTO topic_stories (topic, story_id, updated_at)
       SELECT topic, story_id, updated_at FROM desired ORDER BY topic, story_id
       ON CONFLICT (topic, story_id) DO UPDATE SET updated_at = excluded.updated_at
       RETURNING topic)
     ${BUMP('SELECT topic FROM removed UNION SELECT topic FROM kept')}`,
    [storyIds],
  );
}

/**
 * After stories were deleted: `all` changed (its definition time moves too, as its Last-Modified
 * follows it and the latest story revision, which a deletion does not move), and so may have
 * any topic whose membership is still being recomputed (its feed filters stories directly, and a
 * deleted story leaves no row behind).
 */
export async function afterStoriesDeleted(db: StoryTx): Promise<void> {
  await db.query(BUMP(`SELECT slug FROM topics WHERE slug = 'all' OR members_at IS NULL OR members_at < updated_at`));
  await db.query(`UPDATE topics SET updated_at = c.t, members_at = c.t FROM (SELECT clock_timestamp() AS t) c WHERE slug = 'all'`);
}

/** Recomputes membership for every story with an article this feed carries (after its tags change). */
export async function refreshFeedMembership(db: StoryTx, feedId: string): Promise<void> {
  if (!/^\d{1,18}$/.test(feedId)) return;
  const { rows } = await db.query<{ id: string }>(
    `SELECT DISTINCT a.story_id::text AS id FROM article_feeds af JOIN articles a ON a.id = af.article_id
     WHERE af.feed_id = $1 AND a.story_id IS NOT NULL`,
    [feedId],
  );
  for (let i = 0; i < rows.length; i += RECOMPUTE_BATCH) {
    await refreshTopicMembership(db, rows.slice(i, i + RECOMPUTE_BATCH).map((r) => r.id));
  }
}

/**
 * One batch of a topic's membership rebuild (@newsfold/stories' recomputeTopic runs them): the
 * next `limit` stories by id after `after`. Returns the last id, or null when done.
 */
export async function recomputeTopicBatch(db: StoryTx, slug: string, after: string, limit: number): Promise<string | null> {
  const { rows } = await db.query<{ hi: string | null }>(
    `WITH target AS (
       SELECT s.id, s.updated_at, s.source_count, s.search FROM stories s WHERE s.id > $2::bigint ORDER BY s.id LIMIT $3),
     bound AS (SELECT max(id) AS hi FROM target),
     ${topicsWhere('slug = $1')},
     ${DESIRED},
     removed AS (
       DELETE FROM topic_stories ts
       WHERE ts.topic = $1 AND ts.story_id > $2::bigint AND ts.story_id <= (SELECT hi FROM bound)
         AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.topic = ts.topic AND d.story_id = ts.story_id)
       RETURNING 1),
     kept AS (
       INSERT INTO topic_stories (topic, story_id, updated_at)
       SELECT topic, story_id, updated_at FROM desired ORDER BY story_id
       ON CONFLICT (topic, story_id) DO UPDATE SET updated_at = excluded.updated_at
         WHERE topic_stories.updated_at IS DISTINCT FROM excluded.updated_at
       RETURNING 1)
     SELECT hi::text FROM bound`,
    [slug, after, limit],
  );
  return rows[0]?.hi ?? null;
}

/**
 * The topic's definition as text (a JavaScript date would drop its microseconds), and whether its
 * membership was computed for it; null when there is no such topic.
 */
export async function topicMembershipState(db: Queryable, slug: string): Promise<{ version: string; current: boolean } | null> {
  const { rows } = await db.query<{ version: string; current: boolean }>(
    `SELECT updated_at::text AS version, coalesce(members_at >= updated_at, false) AS current FROM topics WHERE slug = $1`,
    [slug],
  );
  return rows[0] ?? null;
}

/** Records that a topic's membership was computed for its definition `version`. */
export async function markTopicMembersAt(db: Queryable, slug: string, version: string): Promise<void> {
  await db.query(
    `UPDATE topics SET members_at = $2::timestamptz, revised_at = clock_timestamp()
     WHERE slug = $1 AND (members_at IS NULL OR members_at < $2::timestamptz)`,
    [slug, version],
  );
}

/** Topics whose membership is missing or older than their definition. */
export async function staleTopics(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ slug: string }>(
    `SELECT slug FROM topics WHERE slug <> 'all' AND (members_at IS NULL OR members_at < updated_at) ORDER BY slug`,
  );
  return rows.map((r) => r.slug);
}

export interface TopicStoryQuery {
  limit: number;
  /** Stories strictly after this position in (updated_at DESC, id DESC) order. */
  after?: { updatedAt: Date; id: string } | null;
  /** At least the topic's own minimum (membership already holds only those). */
  minSources?: number;
  since?: Date | null;
  until?: Date | null;
  /** A caller's full-text query (web-search syntax), ANDed with membership. */
  query?: string | null;
}

/**
 * A topic's stories by newest activity, read through `topic_stories` (keyset on its
 * (topic, updated_at DESC, story_id DESC) index, one primary-key lookup per story): no scan of
 * other stories, no articles or feeds read to decide membership. Only valid once the topic's
 * membership is current (see `readTopicStories` in topics.ts, which decides).
 */
export async function listTopicStories(db: Queryable, slug: string, q: TopicStoryQuery): Promise<StoryWithSources[]> {
  const { rows } = await db.query<StoryRow>(
    `SELECT ${STORY_COLUMNS} FROM topic_stories ts JOIN stories s ON s.id = ts.story_id
     WHERE ts.topic = $1
       AND ($3::timestamptz IS NULL OR (ts.updated_at, ts.story_id) < ($3::timestamptz, $4::bigint))
       AND ($5::timestamptz IS NULL OR ts.updated_at >= $5)
       AND ($6::timestamptz IS NULL OR ts.updated_at < $6)
       AND s.source_count >= $7
       AND ($8::text IS NULL OR s.search @@ websearch_to_tsquery('simple', $8))
     ORDER BY ts.updated_at DESC, ts.story_id DESC
     LIMIT $2`,
    [
      slug,
      q.limit,
      q.after?.updatedAt ?? null,
      q.after?.id ?? null,
      q.since ?? null,
      q.until ?? null,
      q.minSources ?? 1,
      q.query || null,
    ],
  );
  return attachSources(db, rows);
}

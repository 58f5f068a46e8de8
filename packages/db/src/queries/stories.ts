import type { Queryable } from '../pool.js';
import type { StoryTx } from '../story-lock.js';
import type { CandidateStoryRow } from './clustering.js';
import { attachSources, STORY_COLUMNS as COLUMNS, type StoryRow, type StoryWithSources } from './story-rows.js';
import { afterStoriesDeleted, refreshTopicMembership } from './topic-membership.js';

export type { StorySource, StoryRow, StoryWithSources } from './story-rows.js';

export async function createStory(
  db: StoryTx,
  lead: { articleId: string; title: string; eventAt: Date },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO stories (title, lead_article_id, first_seen_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id::text`,
    [lead.title, lead.articleId, lead.eventAt],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('story insert returned nothing');
  return id;
}

/** How long after its own date an article may still make its story "updated" when it arrives. */
const LATE_JOIN_CAP = '1 day';

/**
 * Recomputes a story's derived fields from its articles, so the numbers can never drift from the
 * rows they summarise however often a job is replayed. The lead is the earliest article (ties by
 * id); `updated_at` is the time the most recent outlet joined (each outlet joins with its earliest
 * article), which is when newsfold first saw that article: an outlet reporting eight hours after
 * the others makes the story "updated" when it arrives, not eight hours back where readers would
 * never notice. But no later than a day after the article's own date, so that subscribing to an
 * outlet, whose feed brings its last days of articles at once, does not resurface every old
 * story they join. A story left with no articles is deleted. Every writer of stories calls this,
 * so it also keeps topic membership current (refreshTopicMembership).
 */
export interface RefreshOptions {
  /** Only these may have lost every article (default: all of them). */
  mayBeEmpty?: string[];
  /**
   * What placing keeps of these stories (centroid, newest time, recent signatures and headlines),
   * written in the same row version as the rest: stories not refreshed are not written. A batch
   * only adds articles, so the newest time only moves forward, unless `exactTimes` (the settle
   * pass, which also takes articles away).
   */
  clustering?: readonly CandidateStoryRow[];
  exactTimes?: boolean;
}

export async function refreshStories(db: StoryTx, storyIds: string[], options: RefreshOptions = {}): Promise<void> {
  if (storyIds.length === 0) return;
  // `revised_at` is the validator of every read that follows all stories (max(revised_at): the
  // topic `all`, story queries). Stamps must be in commit order, or a transaction stamped earlier
  // but committed later leaves the maximum where it was and its change is never seen by a client
  // holding the old ETag. Under the story lock (StoryTx), held to commit, no other stamp comes
  // between this one and its commit.
  await db.query(
    `WITH arts AS MATERIALIZED (
       -- The stories' articles read once, for every figure below.
       SELECT story_id, id, outlet_id, event_at,
              greatest(event_at, least(first_seen_at, event_at + interval '${LATE_JOIN_CAP}')) AS joined_at
       FROM articles WHERE story_id = ANY($1::bigint[])),
     per_outlet AS (
       SELECT story_id, count(*)::int AS articles, min(event_at) AS first_seen, min(joined_at) AS joined_at
       FROM arts GROUP BY story_id, outlet_id),
     agg AS (
       SELECT story_id, min(first_seen) AS first_seen, sum(articles)::int AS articles, count(*)::int AS outlets,
              max(joined_at) AS updated
       FROM per_outlet GROUP BY story_id),
     lead AS (
       SELECT l.story_id, a.id, a.title, a.summary
       FROM (SELECT DISTINCT ON (story_id) story_id, id FROM arts ORDER BY story_id, event_at, id) l
       JOIN articles a ON a.id = l.id)
     UPDATE stories s SET
       title = lead.title, lead_article_id = lead.id,
       -- Cut at a word and marked as cut, as truncateAtWord (@newsfold/text) does: at the last
       -- space, unless that drops more than 40% of what fits.
       summary = CASE WHEN length(lead.summary) <= 600 THEN lead.summary
                      WHEN length(regexp_replace(left(lead.summary, 600), '\\s+\\S*$', '')) > 360
                        THEN regexp_replace(left(lead.summary, 600), '\\s+\\S*$', '') || '…'
                      ELSE rtrim(left(lead.summary, 600)) || '…' END,
       first_seen_at = agg.first_seen, updated_at = agg.updated,
       source_count = agg.outlets, article_count = agg.articles, revised_at = clock_timestamp(),
       centroid = CASE WHEN u.id IS NULL THEN s.centroid ELSE u.centroid::jsonb END,
       last_event_at = CASE WHEN u.id IS NULL THEN s.last_event_at WHEN $7 THEN u.last_at ELSE greatest(s.last_event_at, u.last_at) END,
       recent_signatures = CASE WHEN u.id IS NULL THEN s.recent_signatures ELSE u.signatures::integer[] END,
       recent_title_keys = CASE WHEN u.id IS NULL THEN s.recent_title_keys ELSE u.title_keys::jsonb END
     FROM agg JOIN lead USING (story_id)
     LEFT JOIN unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::text[], $6::text[]) AS u(id, centroid, last_at, signatures, title_keys)
       ON u.id = lead.story_id
     WHERE s.id = agg.story_id`,
    [storyIds, ...clusteringArrays(options.clustering ?? []), options.exactTimes ?? false],
  );
  // Membership first, while emptied stories still exist: their topics see them leave (and
  // change their validators) before the rows go. Then the emptied stories are deleted.
  await refreshTopicMembership(db, storyIds);
  // Only stories that may have lost every article are looked at (all of them unless told which).
  const deleted = await db.query(
    `DELETE FROM stories s WHERE s.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id)`,
    [options.mayBeEmpty ?? storyIds],
  );
  if ((deleted.rowCount ?? 0) > 0) await afterStoriesDeleted(db);
}

export interface StoryCursor {
  updatedAt: Date;
  id: string;
}

export interface StoryListQuery {
  limit: number;
  /** Stories strictly after this position in (updated_at DESC, id DESC) order. */
  after?: StoryCursor | null;
  minSources?: number;
  since?: Date | null;
  until?: Date | null;
  /** Only stories with an article carried by a feed with one of these tags. */
  tags?: string[];
  /** Web-search syntax ("ukraine OR jeddah -football", quoted phrases) over title and summary. */
  query?: string | null;
  /** A second query, ANDed with the first (a topic's query plus the caller's q). */
  query2?: string | null;
}

/** The generated tsvector (title weight A, summary weight B, 'simple' config; GIN-indexed), migration 003. */
const SEARCH_VECTOR = 's.search';

/** Stories by newest activity, with keyset pagination over (updated_at, id): no OFFSET, no scan of skipped rows. */
export async function listStories(db: Queryable, q: StoryListQuery): Promise<StoryWithSources[]> {
  const { rows } = await db.query<StoryRow>(
    `SELECT ${COLUMNS} FROM stories s
     WHERE s.source_count >= $2
       AND ($3::timestamptz IS NULL OR (s.updated_at, s.id) < ($3::timestamptz, $4::bigint))
       AND ($5::timestamptz IS NULL OR s.updated_at >= $5)
       AND ($6::timestamptz IS NULL OR s.updated_at < $6)
       AND (cardinality($7::text[]) = 0 OR EXISTS (
             SELECT 1 FROM articles a JOIN article_feeds af ON af.article_id = a.id JOIN feeds f ON f.id = af.feed_id
             WHERE a.story_id = s.id AND f.tags && $7::text[]))
       AND ($8::text IS NULL OR ${SEARCH_VECTOR} @@ websearch_to_tsquery('simple', $8))
       AND ($9::text IS NULL OR ${SEARCH_VECTOR} @@ websearch_to_tsquery('simple', $9))
     ORDER BY s.updated_at DESC, s.id DESC
     LIMIT $1`,
    [
      q.limit,
      q.minSources ?? 1,
      q.after?.updatedAt ?? null,
      q.after?.id ?? null,
      q.since ?? null,
      q.until ?? null,
      q.tags ?? [],
      q.query || null,
      q.query2 || null,
    ],
  );
  return attachSources(db, rows);
}

export async function getStory(db: Queryable, id: string): Promise<StoryWithSources | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await db.query<StoryRow>(`SELECT ${COLUMNS} FROM stories s WHERE s.id = $1`, [id]);
  const [story] = await attachSources(db, rows);
  return story ?? null;
}

/**
 * When any story last changed (gained or lost an article, a new title, a new story): a validator
 * for conditional GET that one index lookup answers, without reading any story. `revision` keeps
 * the microseconds that an HTTP date drops.
 */
export async function latestStoryRevision(db: Queryable): Promise<{ revisedAt: Date | null; revision: string | null }> {
  const { rows } = await db.query<{ revisedAt: Date | null; revision: string | null }>(
    `SELECT max(revised_at) AS "revisedAt", max(revised_at)::text AS revision FROM stories`,
  );
  return rows[0] ?? { revisedAt: null, revision: null };
}

/** Counts stories; with `upTo`, stops there (a bounded scan: the count is then min(count, upTo)). */
export async function countStories(db: Queryable, upTo: number | null = null): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM stories LIMIT $1) s', [upTo]);
  return rows[0]?.n ?? 0;
}

/** What placing keeps of stories (as loadCandidateStories reads it) as the five arrays a statement unnests: id, centroid, last_at, signatures, title_keys. */
function clusteringArrays(stories: readonly CandidateStoryRow[]): [string[], string[], Date[], string[], string[]] {
  return [
    stories.map((s) => s.storyId),
    stories.map((s) => JSON.stringify(s.centroid)),
    stories.map((s) => s.lastEventAt),
    stories.map((s) => signaturesLiteral(s.signatures)),
    stories.map((s) => JSON.stringify(s.titleKeys)),
  ];
}

/**
 * Signatures as a 2-D integer array literal ('{{1,2},{3,4}}'). A 2-D array is rectangular: only
 * signatures as long as the first are kept (every full signature is).
 */
function signaturesLiteral(signatures: number[][]): string {
  const size = signatures[0]?.length ?? 0;
  const kept = signatures.filter((s) => s.length === size && size > 0 && s.every(Number.isInteger));
  return `{${kept.map((s) => `{${s.join(',')}}`).join(',')}}`;
}

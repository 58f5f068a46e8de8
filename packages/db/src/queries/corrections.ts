import type { Queryable } from '../pool.js';
import type { StoryTx } from '../story-lock.js';

/**
 * Story corrections' storage (@newsfold/stories' splitStory and mergeStories decide what moves
 * where): separations, and a story's clustering state written as given or rebuilt from its rows.
 */

/**
 * Gives story `into` every separation the stories `from` have, except from the stories in
 * `except` (and from itself): articles kept apart from a story stay kept apart wherever they
 * move. For a split (the new story inherits the original's) and a merge (the survivor inherits
 * the absorbed stories'); the normalizer's automatic merges need the same.
 */
export async function inheritSeparations(db: StoryTx, from: string[], into: string, except: string[] = []): Promise<void> {
  if (from.length === 0) return;
  await db.query(
    `INSERT INTO story_separations (story_a, story_b)
     SELECT DISTINCT least(o.other, $2::bigint), greatest(o.other, $2::bigint) FROM (
       SELECT CASE WHEN story_a = ANY($1::bigint[]) THEN story_b ELSE story_a END AS other
       FROM story_separations WHERE story_a = ANY($1::bigint[]) OR story_b = ANY($1::bigint[])) o
     WHERE o.other <> $2::bigint AND NOT (o.other = ANY($3::bigint[]))
     ORDER BY 1, 2
     ON CONFLICT DO NOTHING`,
    [from, into, except],
  );
}

/** An editor made these stories (a split, a merge): the settle pass leaves them as they are. */
export async function markEdited(db: StoryTx, storyIds: string[]): Promise<void> {
  await db.query('UPDATE stories SET edited = true WHERE id = ANY($1::bigint[])', [storyIds]);
}

/** Sets a story's centroid and newest article time (the caller computes them). */
export async function setStoryCentroid(db: StoryTx, storyId: string, centroid: Record<string, number>, lastEventAt: Date | null): Promise<void> {
  // What it held recently changed by other means than placing: read from its articles next time.
  await db.query(`UPDATE stories SET centroid = $2, last_event_at = $3, recent_signatures = NULL, recent_title_keys = NULL WHERE id = $1`, [
    storyId,
    JSON.stringify(centroid),
    lastEventAt,
  ]);
}

/** A story's story_terms rows rebuilt from its articles: every term of every article, dated by the newest article using it. */
export async function rebuildStoryTerms(db: StoryTx, storyIds: string[]): Promise<void> {
  if (storyIds.length === 0) return;
  await db.query('DELETE FROM story_terms WHERE story_id = ANY($1::bigint[])', [storyIds]);
  await db.query(
    `INSERT INTO story_terms (term, story_id, last_at)
     SELECT t.term, a.story_id, max(a.event_at)
     FROM articles a CROSS JOIN LATERAL jsonb_object_keys(a.features) AS t(term)
     WHERE a.story_id = ANY($1::bigint[]) AND jsonb_typeof(a.features) = 'object'
     GROUP BY t.term, a.story_id
     ORDER BY a.story_id, t.term`,
    [storyIds],
  );
}

/** Moves articles of a story into another one, noting why. */
export async function moveArticlesToStory(db: StoryTx, articleIds: string[], storyId: string, reason: string): Promise<void> {
  await db.query(`UPDATE articles SET story_id = $1, match_reason = $2, match_score = 1 WHERE id = ANY($3::bigint[])`, [storyId, reason, articleIds]);
}

/** Drops the separations among `ids` and every one of `gone` (merged away). */
export async function dropSeparations(db: StoryTx, gone: string[], ids: string[]): Promise<void> {
  await db.query(
    `DELETE FROM story_separations
     WHERE story_a = ANY($1::bigint[]) OR story_b = ANY($1::bigint[])
        OR (story_a = ANY($2::bigint[]) AND story_b = ANY($2::bigint[]))`,
    [gone, ids],
  );
}

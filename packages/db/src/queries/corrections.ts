import { NewsfoldError } from '@newsfold/errors';
import { withTransaction, type Pool, type Queryable } from '../pool.js';
import { articleFeatureRows, lockAssignments, moveStoryArticles, separateStories } from './clustering.js';
import { createStory, refreshStories } from './stories.js';

/**
 * Admin story corrections: split articles out of a story, merge stories. Both run in one
 * transaction under the assignment lock (the one every normalizer replica takes to place an
 * article), so a correction never interleaves with an assignment, and both leave the clustering
 * state (centroids, the story_terms index, separations) as if the normalizer had built it.
 */

/** Terms kept in a story's stored centroid: CENTROID_TERMS of @newsfold/clustering, as the normalizer keeps. */
export const CORRECTION_CENTROID_KEEP = 100;

export const SPLIT_REASON = 'manual-split';
export const MERGE_REASON = 'manual-merge';

const ID = /^\d{1,18}$/;

function correctionError(code: string, message: string): NewsfoldError {
  return new NewsfoldError(code, message, { permanent: true });
}

// The same arithmetic as addTerms/truncateTerms in @newsfold/clustering, written out here because
// @newsfold/db does not depend on the clustering package (and should not for two small loops).
function sumTerms(into: Record<string, number>, terms: Readonly<Record<string, number>>): Record<string, number> {
  for (const [t, w] of Object.entries(terms)) if (typeof w === 'number' && Number.isFinite(w)) into[t] = (into[t] ?? 0) + w;
  return into;
}

function keepStrongest(terms: Readonly<Record<string, number>>, keep: number): Record<string, number> {
  const entries = Object.entries(terms);
  if (entries.length <= keep) return { ...terms };
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(entries.slice(0, keep).map(([t, w]) => [t, Math.round(w * 1000) / 1000]));
}

/**
 * Rebuilds a story's clustering state from the articles it holds now: centroid = the sum of its
 * articles' features (strongest terms kept), `last_event_at` = its newest article, and its
 * story_terms rows = every term of every article, dated by the newest article using it.
 * Articles stored without features (none since clustering landed) add nothing.
 */
export async function rebuildStoryClustering(db: Queryable, storyId: string): Promise<void> {
  const rows = await articleFeatureRows(db, storyId);
  const centroid: Record<string, number> = {};
  let last: Date | null = null;
  for (const row of rows) {
    if (row.features && typeof row.features === 'object') sumTerms(centroid, row.features);
    if (last === null || row.eventAt > last) last = row.eventAt;
  }
  await db.query(`UPDATE stories SET centroid = $2, last_event_at = $3 WHERE id = $1`, [
    storyId,
    JSON.stringify(keepStrongest(centroid, CORRECTION_CENTROID_KEEP)),
    last,
  ]);
  await db.query('DELETE FROM story_terms WHERE story_id = $1', [storyId]);
  await db.query(
    `INSERT INTO story_terms (term, story_id, last_at)
     SELECT t.term, a.story_id, max(a.event_at)
     FROM articles a CROSS JOIN LATERAL jsonb_object_keys(a.features) AS t(term)
     WHERE a.story_id = $1 AND jsonb_typeof(a.features) = 'object'
     GROUP BY t.term, a.story_id
     ORDER BY t.term`,
    [storyId],
  );
}

/**
 * Gives story `into` every separation the stories `from` have, except from the stories in
 * `except` (and from itself): articles kept apart from a story stay kept apart wherever they
 * move. For a split (the new story inherits the original's) and a merge (the survivor inherits
 * the absorbed stories'); the normalizer's automatic merges need the same.
 */
export async function inheritSeparations(db: Queryable, from: string[], into: string, except: string[] = []): Promise<void> {
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

/**
 * Moves `articleIds` out of story `storyId` into a new story, which the original is then kept
 * apart from: later clustering never merges the two again (story_separations). The new story
 * also inherits the original's existing separations, since its articles were kept apart from
 * those stories too.
 *
 * Errors (NewsfoldError, permanent): `story_not_found`, `article_not_in_story` (an id that is
 * not an article of this story), `nothing_left` (every article would move).
 */
export async function splitStory(pool: Pool, storyId: string, articleIds: string[]): Promise<{ original: string; created: string }> {
  const ids = [...new Set(articleIds)];
  if (ids.length === 0) throw correctionError('article_not_in_story', 'name at least one article to split out');
  return withTransaction(pool, async (tx) => {
    await lockAssignments(tx);
    if (!ID.test(storyId) || (await tx.query('SELECT 1 FROM stories WHERE id = $1', [storyId])).rowCount === 0) {
      throw correctionError('story_not_found', `no story ${storyId}`);
    }
    const valid = ids.filter((id) => ID.test(id));
    const { rows: moving } = await tx.query<{ id: string; title: string; eventAt: Date }>(
      `SELECT id::text, title, event_at AS "eventAt" FROM articles
       WHERE id = ANY($1::bigint[]) AND story_id = $2
       ORDER BY event_at, id`,
      [valid, storyId],
    );
    if (moving.length !== ids.length) {
      const found = new Set(moving.map((a) => a.id));
      const strangers = ids.filter((id) => !found.has(id));
      throw correctionError('article_not_in_story', `not articles of story ${storyId}: ${strangers.slice(0, 20).join(', ')}`);
    }
    const left = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM articles WHERE story_id = $1 AND NOT (id = ANY($2::bigint[]))',
      [storyId, valid],
    );
    if ((left.rows[0]?.n ?? 0) === 0) {
      throw correctionError('nothing_left', `splitting out every article would leave story ${storyId} empty`);
    }

    const lead = moving[0];
    if (!lead) throw new Error('unreachable: no article to lead the new story');
    const created = await createStory(tx, { articleId: lead.id, title: lead.title, eventAt: lead.eventAt });
    await tx.query(`UPDATE articles SET story_id = $1, match_reason = $2, match_score = 1 WHERE id = ANY($3::bigint[])`, [
      created,
      SPLIT_REASON,
      valid,
    ]);
    await rebuildStoryClustering(tx, storyId);
    await rebuildStoryClustering(tx, created);
    await inheritSeparations(tx, [storyId], created);
    await separateStories(tx, storyId, created);
    await refreshStories(tx, [storyId, created]);
    return { original: storyId, created };
  });
}

/**
 * Folds stories into the oldest of them (the smallest id: readers keep the entry they already
 * have). The others' articles move with reason `manual-merge`; the survivor's centroid is the sum
 * of theirs, its story_terms gain theirs, and separations among the merged stories are dropped
 * (an admin merging them overrides an earlier split) while their separations from other stories
 * pass to the survivor. The emptied stories are deleted.
 *
 * Errors (NewsfoldError, permanent): `too_few_stories` (fewer than two distinct ids),
 * `story_not_found`.
 */
export async function mergeStories(pool: Pool, storyIds: string[]): Promise<{ survivor: string; merged: string[] }> {
  const ids = [...new Set(storyIds)];
  if (ids.length < 2) throw correctionError('too_few_stories', 'a merge needs at least two different stories');
  const unknown = ids.filter((id) => !ID.test(id));
  if (unknown.length > 0) throw correctionError('story_not_found', `no story ${unknown.slice(0, 20).join(', ')}`);
  return withTransaction(pool, async (tx) => {
    await lockAssignments(tx);
    const { rows: stories } = await tx.query<{ id: string; centroid: Record<string, number> | null; lastEventAt: Date | null }>(
      `SELECT id::text, centroid, last_event_at AS "lastEventAt" FROM stories WHERE id = ANY($1::bigint[]) ORDER BY stories.id FOR UPDATE`,
      [ids],
    );
    if (stories.length !== ids.length) {
      const found = new Set(stories.map((s) => s.id));
      throw correctionError('story_not_found', `no story ${ids.filter((id) => !found.has(id)).slice(0, 20).join(', ')}`);
    }
    const survivor = ids.reduce((a, b) => (BigInt(a) <= BigInt(b) ? a : b));
    const merged = ids.filter((id) => id !== survivor);

    const centroid: Record<string, number> = {};
    let last: Date | null = null;
    for (const s of stories) {
      if (s.centroid && typeof s.centroid === 'object') sumTerms(centroid, s.centroid);
      if (s.lastEventAt && (last === null || s.lastEventAt > last)) last = s.lastEventAt;
    }
    for (const id of merged) await moveStoryArticles(tx, id, survivor, MERGE_REASON, 1);
    await tx.query(`UPDATE stories SET centroid = $2, last_event_at = $3 WHERE id = $1`, [
      survivor,
      JSON.stringify(keepStrongest(centroid, CORRECTION_CENTROID_KEEP)),
      last,
    ]);

    // Separations: none left among the merged set; the absorbed stories' others pass to the survivor.
    await inheritSeparations(tx, merged, survivor, ids);
    await tx.query(
      `DELETE FROM story_separations
       WHERE story_a = ANY($1::bigint[]) OR story_b = ANY($1::bigint[])
          OR (story_a = ANY($2::bigint[]) AND story_b = ANY($2::bigint[]))`,
      [merged, ids],
    );
    await refreshStories(tx, ids);
    return { survivor, merged };
  });
}

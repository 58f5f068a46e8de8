import { addTerms, CENTROID_TERMS, finiteTerms, truncateTerms } from '@newsfold/clustering';
import {
  articleFeatureRows,
  bumpStoryRevision,
  createStory,
  dropSeparations,
  inheritSeparations,
  markEdited,
  moveArticlesToStory,
  moveStoryArticles,
  rebuildStoryTerms,
  refreshStories,
  separateStories,
  setStoryCentroid,
  type Pool,
  type StoryTx,
} from '@newsfold/db';
import { NewsfoldError } from '@newsfold/errors';
import { withStoryWrite } from './story-write.js';

/**
 * Admin story corrections: split articles out of a story, merge stories. Each is one story write,
 * and leaves the clustering state (centroids, the story_terms index, separations) as placing the
 * articles would have built it, and moves the story revision so that the assigner drops what it
 * holds of these stories. Later clustering respects them.
 */

export const SPLIT_REASON = 'manual-split';
export const MERGE_REASON = 'manual-merge';

const ID = /^\d{1,18}$/;

function correctionError(code: string, message: string): NewsfoldError {
  return new NewsfoldError(code, message, { permanent: true });
}

/**
 * Rebuilds a story's clustering state from the articles it holds now: centroid = the sum of its
 * articles' features (strongest terms kept), `last_event_at` = its newest article, and its
 * story_terms rows = every term of every article. Articles stored without features add nothing.
 */
export async function rebuildStoryClustering(tx: StoryTx, storyId: string): Promise<void> {
  const rows = await articleFeatureRows(tx, storyId);
  const centroid: Record<string, number> = {};
  let last: Date | null = null;
  for (const row of rows) {
    if (row.features && typeof row.features === 'object') addTerms(centroid, finiteTerms(row.features));
    if (last === null || row.eventAt > last) last = row.eventAt;
  }
  await setStoryCentroid(tx, storyId, truncateTerms(centroid, CENTROID_TERMS), last);
  await rebuildStoryTerms(tx, [storyId]);
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
  return withStoryWrite(pool, async (tx) => {
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
    await moveArticlesToStory(tx, valid, created, SPLIT_REASON);
    await rebuildStoryClustering(tx, storyId);
    await rebuildStoryClustering(tx, created);
    await inheritSeparations(tx, [storyId], created);
    await separateStories(tx, storyId, created);
    await markEdited(tx, [storyId, created]);
    await refreshStories(tx, [storyId, created]);
    await bumpStoryRevision(tx);
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
  return withStoryWrite(pool, async (tx) => {
    const { rows: stories } = await tx.query<{ id: string; centroid: Record<string, number> | null; lastEventAt: Date | null }>(
      `SELECT id::text, centroid, last_event_at AS "lastEventAt" FROM stories WHERE id = ANY($1::bigint[]) ORDER BY stories.id FOR UPDATE`,
      [ids],
    );
    if (stories.length !== ids.length) {
      const found = new Set(stories.map((s) => s.id));
      throw correctionError('story_not_found', `no story ${ids.filter((id) => !found.has(id)).slice(0, 20).join(', ')}`);
    }
    const survivor = oldestStory(ids);
    const merged = ids.filter((id) => id !== survivor);

    const centroid: Record<string, number> = {};
    let last: Date | null = null;
    for (const s of stories) {
      if (s.centroid && typeof s.centroid === 'object') addTerms(centroid, finiteTerms(s.centroid));
      if (s.lastEventAt && (last === null || s.lastEventAt > last)) last = s.lastEventAt;
    }
    for (const id of merged) await moveStoryArticles(tx, id, survivor, MERGE_REASON, 1);
    await setStoryCentroid(tx, survivor, truncateTerms(centroid, CENTROID_TERMS), last);

    // Separations: none left among the merged set; the absorbed stories' others pass to the survivor.
    await inheritSeparations(tx, merged, survivor, ids);
    await dropSeparations(tx, merged, ids);
    await markEdited(tx, [survivor]);
    await refreshStories(tx, ids);
    await bumpStoryRevision(tx);
    return { survivor, merged };
  });
}

/** The story that survives a merge: the oldest (smallest id), so readers keep the entry they already have. */
export function oldestStory(ids: readonly string[]): string {
  const first = ids[0];
  if (first === undefined) throw new Error('no stories');
  return ids.reduce((a, b) => (BigInt(a) <= BigInt(b) ? a : b), first);
}

import type { Queryable } from '../pool.js';
import type { StoryTx } from '../story-lock.js';

export interface CandidateStoryRow {
  storyId: string;
  centroid: Record<string, number>;
  lastEventAt: Date;
  signatures: number[][];
  titleKeys: string[];
}

/**
 * Candidate stories with what scoring needs: centroid, recency, and their latest articles'
 * signatures and headline keys, as the assigner stored them on the story (migration 009), or,
 * for a story written by another path since, read from its articles.
 */
export async function loadCandidateStories(db: Queryable, ids: string[], articlesPerStory = 20): Promise<CandidateStoryRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<CandidateStoryRow & { known: boolean }>(
    `SELECT s.id::text AS "storyId", s.centroid, coalesce(s.last_event_at, s.updated_at) AS "lastEventAt",
            coalesce(s.recent_signatures, '{}') AS signatures, coalesce(s.recent_title_keys, '[]') AS "titleKeys",
            s.recent_title_keys IS NOT NULL AS known
     FROM stories s WHERE s.id = ANY($1::bigint[]) ORDER BY s.id`,
    [ids],
  );
  const unknown = rows.filter((r) => !r.known).map((r) => r.storyId);
  const read = new Map<string, { signatures: number[][]; titleKeys: string[] }>();
  if (unknown.length > 0) {
    const { rows: walked } = await db.query<{ storyId: string; signatures: number[][]; titleKeys: string[] }>(
      `SELECT s.id::text AS "storyId",
              coalesce(array_agg(a.signature) FILTER (WHERE a.signature IS NOT NULL), '{}') AS signatures,
              coalesce(array_agg(a.title_key) FILTER (WHERE a.title_key IS NOT NULL), '{}') AS "titleKeys"
       FROM unnest($1::bigint[]) AS s(id)
       LEFT JOIN LATERAL (
         SELECT signature, title_key FROM articles WHERE story_id = s.id ORDER BY event_at DESC LIMIT $2) a ON true
       GROUP BY s.id`,
      [unknown, articlesPerStory],
    );
    // array_agg of integer[] yields a 2-D array; pg returns it as nested arrays.
    for (const w of walked) read.set(w.storyId, w);
  }
  return rows.map(({ known, ...row }) => (known ? row : { ...row, ...(read.get(row.storyId) ?? { signatures: [], titleKeys: [] }) }));
}

export async function separateStories(db: StoryTx, a: string, b: string): Promise<void> {
  const [x, y] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  await db.query('INSERT INTO story_separations (story_a, story_b) VALUES ($1, $2) ON CONFLICT DO NOTHING', [x, y]);
}

export interface ArticleFeaturesRow {
  id: string;
  storyId: string | null;
  features: Record<string, number> | null;
  eventAt: Date;
}

/**
 * Moves every article of `from` into `into` (a merge), noting why; returns the moved articles'
 * features. `from`, and every id that already led to it, now leads to `into` (story_aliases).
 */
export async function moveStoryArticles(db: StoryTx, from: string, into: string, reason: string, score: number): Promise<ArticleFeaturesRow[]> {
  await db.query(
    `WITH repointed AS (UPDATE story_aliases SET story_id = $2 WHERE story_id = $1)
     INSERT INTO story_aliases (old_id, story_id) VALUES ($1, $2) ON CONFLICT (old_id) DO UPDATE SET story_id = excluded.story_id`,
    [from, into],
  );
  const { rows } = await db.query<ArticleFeaturesRow>(
    `UPDATE articles SET story_id = $2, match_reason = $3, match_score = $4 WHERE story_id = $1
     RETURNING id::text, story_id::text AS "storyId", features, event_at AS "eventAt"`,
    [from, into, reason, score],
  );
  await db.query(
    `INSERT INTO story_terms (term, story_id, last_at)
     SELECT term, $2, last_at FROM story_terms WHERE story_id = $1
     ON CONFLICT (term, story_id) DO UPDATE SET last_at = greatest(story_terms.last_at, excluded.last_at)`,
    [from, into],
  );
  return rows;
}

export async function articleFeatureRows(db: Queryable, storyId: string): Promise<ArticleFeaturesRow[]> {
  const { rows } = await db.query<ArticleFeaturesRow>(
    `SELECT id::text, story_id::text AS "storyId", features, event_at AS "eventAt" FROM articles WHERE story_id = $1 ORDER BY event_at, id`,
    [storyId],
  );
  return rows;
}

/** The story a merged story's id now leads to, or null when it was never merged (or that story is gone too). */
export async function storyAlias(db: Queryable, oldId: string): Promise<string | null> {
  if (!/^\d{1,18}$/.test(oldId)) return null;
  const { rows } = await db.query<{ id: string }>('SELECT story_id::text AS id FROM story_aliases WHERE old_id = $1', [oldId]);
  return rows[0]?.id ?? null;
}

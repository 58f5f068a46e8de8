import type { Queryable } from '../pool.js';
import type { StoryTx } from '../story-lock.js';

/**
 * Counts one more document for each term, and returns their document frequencies now. Terms are
 * sorted so concurrent writers lock rows in one order.
 */
export async function recordTermStats(db: StoryTx, terms: string[]): Promise<Map<string, number>> {
  if (terms.length === 0) return new Map();
  const { rows } = await db.query<{ term: string; df: number }>(
    `INSERT INTO term_stats (term, df) SELECT t, 1 FROM unnest($1::text[]) AS t ORDER BY t
     ON CONFLICT (term) DO UPDATE SET df = term_stats.df + 1
     RETURNING term, df`,
    [[...new Set(terms)].sort()],
  );
  return new Map(rows.map((r) => [r.term, r.df]));
}

/**
 * Document frequencies of the given terms, and the number of documents (articles placed so far).
 * Pass `documents` when it is already known, to skip that lookup.
 */
export async function termStats(
  db: Queryable,
  terms: string[],
  documents?: number,
): Promise<{ df: Map<string, number>; documents: number }> {
  const { rows } = await db.query<{ term: string; df: number }>('SELECT term, df FROM term_stats WHERE term = ANY($1::text[])', [terms]);
  return { df: new Map(rows.map((r) => [r.term, r.df])), documents: documents ?? (await documentCount(db)) };
}

/**
 * The number of documents IDF counts against: the highest article id stands in for the article
 * count, one index lookup instead of a count over the table, and close enough for a logarithm.
 */
export async function documentCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string | null }>(`SELECT max(id)::text AS n FROM articles`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The stories most likely to be this article's: for each query term, the `perTerm` stories that
 * used it most recently since `since` (an index range scan per term), ranked by the summed weight
 * of the query terms they share, best `limit` kept. Bounded by terms × perTerm rows read and
 * `limit` stories returned, however many stories the window holds: a common word cannot flood
 * the candidates.
 */
export async function candidateStoryIds(
  db: Queryable,
  terms: { term: string; weight: number }[],
  since: Date,
  options: { perTerm: number; limit: number },
): Promise<string[]> {
  if (terms.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `SELECT c.story_id::text AS id
     FROM unnest($1::text[], $2::float8[]) AS q(term, weight)
     CROSS JOIN LATERAL (
       SELECT story_id FROM story_terms st
       WHERE st.term = q.term AND st.last_at >= $3
       ORDER BY st.last_at DESC LIMIT $4) c
     GROUP BY c.story_id
     ORDER BY sum(q.weight) DESC, c.story_id DESC
     LIMIT $5`,
    [terms.map((t) => t.term), terms.map((t) => t.weight), since, options.perTerm, options.limit],
  );
  return rows.map((r) => r.id);
}

export interface CandidateStoryRow {
  storyId: string;
  centroid: Record<string, number>;
  lastEventAt: Date;
  signatures: number[][];
  titleKeys: string[];
}

/** Candidate stories with what scoring needs: centroid, recency, and their latest articles' signatures and headline keys. */
export async function loadCandidateStories(db: Queryable, ids: string[], articlesPerStory = 20): Promise<CandidateStoryRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<CandidateStoryRow>(
    `SELECT s.id::text AS "storyId", s.centroid, coalesce(s.last_event_at, s.updated_at) AS "lastEventAt",
            coalesce(array_agg(a.signature) FILTER (WHERE a.signature IS NOT NULL), '{}') AS signatures,
            coalesce(array_agg(a.title_key), '{}') AS "titleKeys"
     FROM stories s
     LEFT JOIN LATERAL (
       SELECT signature, title_key FROM articles WHERE story_id = s.id ORDER BY event_at DESC LIMIT $2) a ON true
     WHERE s.id = ANY($1::bigint[])
     GROUP BY s.id
     ORDER BY s.id`,
    [ids, articlesPerStory],
  );
  // array_agg of integer[] yields a 2-D array; pg returns it as nested arrays.
  return rows;
}

/** Stories already holding an article with this headline key near this time (an index lookup). */
export async function sameTitleStoryIds(db: Queryable, titleKey: string, at: Date, windowMs: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT DISTINCT story_id::text AS id FROM articles
     WHERE title_key = $1 AND story_id IS NOT NULL
       AND event_at BETWEEN $2::timestamptz - make_interval(secs => $3::double precision / 1000)
                        AND $2::timestamptz + make_interval(secs => $3::double precision / 1000)
     LIMIT 20`,
    [titleKey, at, windowMs],
  );
  return rows.map((r) => r.id);
}

/** The separated pairs among these stories, as "a:b" keys with a < b. */
export async function separatedPairs(db: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length < 2) return new Set();
  const { rows } = await db.query<{ a: string; b: string }>(
    `SELECT story_a::text AS a, story_b::text AS b FROM story_separations WHERE story_a = ANY($1::bigint[]) AND story_b = ANY($1::bigint[])`,
    [ids],
  );
  return new Set(rows.map((r) => `${r.a}:${r.b}`));
}

export function separationKey(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}:${b}` : `${b}:${a}`;
}

export async function separateStories(db: StoryTx, a: string, b: string): Promise<void> {
  const [x, y] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  await db.query('INSERT INTO story_separations (story_a, story_b) VALUES ($1, $2) ON CONFLICT DO NOTHING', [x, y]);
}

/** Stores a story's centroid and indexes its terms for candidate retrieval. */
export async function saveStoryTerms(
  db: StoryTx,
  storyId: string,
  centroid: Record<string, number>,
  indexTerms: string[],
  lastEventAt: Date,
): Promise<void> {
  await db.query(
    `UPDATE stories SET centroid = $2, last_event_at = greatest(last_event_at, $3) WHERE id = $1`,
    [storyId, JSON.stringify(centroid), lastEventAt],
  );
  if (indexTerms.length === 0) return;
  await db.query(
    `INSERT INTO story_terms (term, story_id, last_at)
     SELECT t, $2, $3 FROM unnest($1::text[]) AS t ORDER BY t
     ON CONFLICT (term, story_id) DO UPDATE SET last_at = greatest(story_terms.last_at, excluded.last_at)`,
    [[...new Set(indexTerms)].sort(), storyId, lastEventAt],
  );
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

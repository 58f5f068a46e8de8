import type { Queryable } from '../pool.js';
import type { StoryTx } from '../story-lock.js';
import type { UnassignedArticle } from './articles.js';

/**
 * Storage of batch story assignment (@newsfold/stories' StoryEngine decides, in memory): what a
 * batch reads (pending articles, the term statistics, postings and stories it needs) and writes
 * (new stories, placements, merges, centroids, postings, statistics), each as one set-based
 * statement for the whole batch.
 */

export interface StoryEngineState {
  revision: string;
  documents: number;
}

export async function storyEngineState(db: Queryable): Promise<StoryEngineState> {
  const { rows } = await db.query<StoryEngineState>(`SELECT revision::text, documents::float8 AS documents FROM story_engine`);
  return rows[0] ?? { revision: '0', documents: 0 };
}

/** Clustering state changed (and `documents` more articles were counted): returns the new revision. */
export async function bumpStoryRevision(tx: StoryTx, documents = 0): Promise<string> {
  const { rows } = await tx.query<{ revision: string }>(
    `UPDATE story_engine SET revision = revision + 1, documents = documents + $1 RETURNING revision::text`,
    [documents],
  );
  return rows[0]?.revision ?? '0';
}

/**
 * Pending articles (no story yet), at most `limit`, but for those in `skip`, returned oldest first
 * (event time, then id). Which ones: every feed's oldest few (its share of the batch, at most
 * `perFeed`, so that a feed's back catalogue cannot hold another feed's new articles back until
 * all of it is placed), then the oldest of the rest.
 */
export async function pendingArticles(db: Queryable, limit: number, skip: string[] = [], perFeed = 100): Promise<UnassignedArticle[]> {
  const { rows } = await db.query<UnassignedArticle>(
    `WITH RECURSIVE feeds AS (
       -- The feeds with pending articles, one index probe each (articles_pending_feed_idx).
       (SELECT feed_id FROM articles WHERE story_id IS NULL ORDER BY feed_id LIMIT 1)
       UNION ALL
       SELECT (SELECT a.feed_id FROM articles a WHERE a.story_id IS NULL AND a.feed_id > f.feed_id ORDER BY a.feed_id LIMIT 1)
       FROM feeds f WHERE f.feed_id IS NOT NULL),
     fair AS (
       SELECT p.id, p.event_at FROM feeds f
       CROSS JOIN LATERAL (
         SELECT a.id, a.event_at FROM articles a
         WHERE a.story_id IS NULL AND a.feed_id = f.feed_id AND NOT (a.id = ANY($2::bigint[]))
         -- A share of the batch each, and at most perFeed: with many feeds waiting, a few each.
         ORDER BY a.event_at, a.id LIMIT least($3, greatest(1, $1 / (SELECT count(*) FROM feeds WHERE feed_id IS NOT NULL)))) p
       WHERE f.feed_id IS NOT NULL
       ORDER BY p.event_at, p.id LIMIT $1),
     rest AS (
       SELECT a.id FROM articles a
       WHERE a.story_id IS NULL AND NOT (a.id = ANY($2::bigint[])) AND NOT EXISTS (SELECT 1 FROM fair WHERE fair.id = a.id)
       ORDER BY a.event_at, a.id LIMIT greatest(0, $1 - (SELECT count(*) FROM fair)))
     SELECT id::text, title_key AS "titleKey", title, summary, language, url, event_at AS "eventAt", features, signature
     FROM articles WHERE id IN (SELECT id FROM fair UNION ALL SELECT id FROM rest)
     ORDER BY event_at, id`,
    [limit, skip, perFeed],
  );
  return rows;
}

/** Pending articles, but for those in `skip`. */
export async function countPendingArticles(db: Queryable, skip: string[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE story_id IS NULL AND NOT (id = ANY($1::bigint[]))', [skip]);
  return rows[0]?.n ?? 0;
}

/**
 * These stories' articles changed by other means than placing (a feed removed, a headline or text
 * rewritten by its outlet): what they keep of their newest articles is read from the articles
 * next time (loadCandidateStories).
 */
export async function forgetRecentArticles(tx: StoryTx, storyIds: string[]): Promise<void> {
  if (storyIds.length === 0) return;
  await tx.query('UPDATE stories SET recent_signatures = NULL, recent_title_keys = NULL WHERE id = ANY($1::bigint[])', [storyIds]);
}

/** Document frequencies of these terms (0 for a term never counted). */
export async function termFrequencies(db: Queryable, terms: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ term: string; df: number }>(
    `SELECT q.term, coalesce(s.df, 0) AS df FROM unnest($1::text[]) AS q(term) LEFT JOIN term_stats s ON s.term = q.term`,
    [terms],
  );
  return new Map(rows.map((r) => [r.term, r.df]));
}

/** For each term, the `perTerm` stories that used it most recently (an index range scan per term). */
export async function termPostings(db: Queryable, terms: string[], perTerm: number): Promise<Map<string, { storyId: string; lastAt: number }[]>> {
  const out = new Map<string, { storyId: string; lastAt: number }[]>(terms.map((t) => [t, []]));
  if (terms.length === 0) return out;
  const { rows } = await db.query<{ term: string; storyId: string; lastAt: Date }>(
    `SELECT q.term, c.story_id::text AS "storyId", c.last_at AS "lastAt"
     FROM unnest($1::text[]) AS q(term)
     CROSS JOIN LATERAL (SELECT story_id, last_at FROM story_terms st WHERE st.term = q.term ORDER BY st.last_at DESC LIMIT $2) c`,
    [terms, perTerm],
  );
  for (const r of rows) out.get(r.term)?.push({ storyId: r.storyId, lastAt: r.lastAt.getTime() });
  return out;
}

/**
 * What a warm assigner holds of the window from `since` on, read at once when it starts or takes
 * over: each term used since then, with its document frequency and the `perTerm` stories that
 * used it most recently.
 */
export async function windowPostings(
  db: Queryable,
  since: Date,
  perTerm: number,
): Promise<Map<string, { df: number; postings: { storyId: string; lastAt: number }[] }>> {
  // One row per term, its postings as two arrays: a few hundred thousand postings parse far faster so.
  const { rows } = await db.query<{ term: string; df: number; ids: string[]; ats: number[] }>(
    `SELECT p.term, coalesce(ts.df, 0) AS df, p.ids, p.ats FROM (
       SELECT term, array_agg(story_id::text ORDER BY n) AS ids, array_agg(at ORDER BY n) AS ats FROM (
         SELECT term, story_id, extract(epoch FROM last_at)::float8 * 1000 AS at,
                row_number() OVER (PARTITION BY term ORDER BY last_at DESC, story_id) AS n
         FROM story_terms WHERE last_at >= $1) r
       WHERE n <= $2 GROUP BY term) p
     LEFT JOIN term_stats ts ON ts.term = p.term`,
    [since, perTerm],
  );
  return new Map(rows.map((r) => [r.term, { df: r.df, postings: r.ids.map((storyId, i) => ({ storyId, lastAt: r.ats[i] ?? 0 })) }]));
}

/** The `limit` stories most recently active since `since`, newest first. */
export async function recentStoryIds(db: Queryable, since: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM stories WHERE coalesce(last_event_at, updated_at) >= $1
     ORDER BY coalesce(last_event_at, updated_at) DESC, id DESC LIMIT $2`,
    [since, limit],
  );
  return rows.map((r) => r.id);
}

/**
 * For each headline key, the stories holding an article with it between `from` and `to`, with
 * the newest such article's time (at most `perKey` stories per key, the newest).
 */
export async function headlineStories(
  db: Queryable,
  titleKeys: string[],
  from: Date,
  to: Date,
  perKey: number,
): Promise<Map<string, { storyId: string; at: number }[]>> {
  const out = new Map<string, { storyId: string; at: number }[]>(titleKeys.map((k) => [k, []]));
  if (titleKeys.length === 0) return out;
  const { rows } = await db.query<{ titleKey: string; storyId: string; at: Date }>(
    `SELECT title_key AS "titleKey", story_id AS "storyId", at FROM (
       SELECT title_key, story_id::text, max(event_at) AS at,
              row_number() OVER (PARTITION BY title_key ORDER BY max(event_at) DESC) AS n
       FROM articles
       WHERE title_key = ANY($1::text[]) AND story_id IS NOT NULL AND event_at BETWEEN $2 AND $3
       GROUP BY title_key, story_id) s
     WHERE n <= $4`,
    [titleKeys, from, to, perKey],
  );
  for (const r of rows) out.get(r.titleKey)?.push({ storyId: r.storyId, at: r.at.getTime() });
  return out;
}

/** Every separation involving one of these stories, as [a, b] pairs. */
export async function separationsOf(db: Queryable, storyIds: string[]): Promise<[string, string][]> {
  if (storyIds.length === 0) return [];
  const { rows } = await db.query<{ a: string; b: string }>(
    `SELECT story_a::text AS a, story_b::text AS b FROM story_separations WHERE story_a = ANY($1::bigint[]) OR story_b = ANY($1::bigint[])`,
    [storyIds],
  );
  return rows.map((r) => [r.a, r.b]);
}

/** Stories started by a batch, each led by the article that started it; returns lead article id → story id. */
export async function insertStories(tx: StoryTx, stories: { leadArticleId: string; title: string; eventAt: Date }[]): Promise<Map<string, string>> {
  if (stories.length === 0) return new Map();
  const { rows } = await tx.query<{ id: string; lead: string }>(
    `INSERT INTO stories (title, lead_article_id, first_seen_at, updated_at)
     SELECT u.title, u.lead, u.at, u.at FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS u(lead, title, at)
     RETURNING id::text, lead_article_id::text AS lead`,
    [stories.map((s) => s.leadArticleId), stories.map((s) => s.title), stories.map((s) => s.eventAt)],
  );
  return new Map(rows.map((r) => [r.lead, r.id]));
}

/**
 * Story ids for stories not stored yet, taken from the stories' own sequence: a batch can name
 * the stories it starts before storing them, and store them with those ids (insertReservedStories).
 */
export async function reserveStoryIds(db: Queryable, count: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT nextval(pg_get_serial_sequence('stories', 'id'))::text AS id FROM generate_series(1, $1)`,
    [count],
  );
  return rows.map((r) => r.id);
}

/** Stories started by a batch under ids reserved for them (reserveStoryIds), each led by the article that started it. */
export async function insertReservedStories(tx: StoryTx, stories: { id: string; leadArticleId: string; title: string; eventAt: Date }[]): Promise<void> {
  if (stories.length === 0) return;
  await tx.query(
    `INSERT INTO stories (id, title, lead_article_id, first_seen_at, updated_at) OVERRIDING SYSTEM VALUE
     SELECT u.id, u.title, u.lead, u.at, u.at FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::timestamptz[]) AS u(id, lead, title, at)`,
    [stories.map((s) => s.id), stories.map((s) => s.leadArticleId), stories.map((s) => s.title), stories.map((s) => s.eventAt)],
  );
}

/** Puts articles in their stories, with why. */
export async function placeInStories(tx: StoryTx, placements: { articleId: string; storyId: string; score: number; reason: string }[]): Promise<void> {
  if (placements.length === 0) return;
  await tx.query(
    `UPDATE articles a SET story_id = u.story, match_score = u.score, match_reason = u.reason
     FROM unnest($1::bigint[], $2::bigint[], $3::real[], $4::text[]) AS u(id, story, score, reason)
     WHERE a.id = u.id`,
    [placements.map((p) => p.articleId), placements.map((p) => p.storyId), placements.map((p) => p.score), placements.map((p) => p.reason)],
  );
}

/**
 * Folds stored stories into others: their articles move (with the reason), and their ids (and
 * every id that led to them) now lead to the survivor (story_aliases). The emptied stories are
 * deleted by refreshStories, their postings with them; the moved articles are noted unposted
 * (unposted_articles), so that their terms are posted for the survivor when the unposted are.
 * Returns how many articles moved.
 */
export async function foldStories(tx: StoryTx, merges: { from: string; into: string; reason: string; score: number }[]): Promise<number> {
  if (merges.length === 0) return 0;
  const args = [merges.map((m) => m.from), merges.map((m) => m.into), merges.map((m) => m.reason), merges.map((m) => m.score)];
  // A story an editor made passes the mark on to the one it is folded into.
  await tx.query(
    `UPDATE stories s SET edited = true
     FROM unnest($1::bigint[], $2::bigint[]) AS u(from_id, into_id) JOIN stories f ON f.id = u.from_id
     WHERE s.id = u.into_id AND f.edited AND NOT s.edited`,
    [args[0], args[1]],
  );
  const moved = await tx.query<{ n: number }>(
    `WITH moved AS (
       UPDATE articles a SET story_id = u.into_id, match_reason = u.reason, match_score = u.score
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::real[]) AS u(from_id, into_id, reason, score)
       WHERE a.story_id = u.from_id
       RETURNING a.id),
     -- Counted when they were placed (or, if unposted still, when that is written).
     noted AS (INSERT INTO unposted_articles (article_id, counted) SELECT id, true FROM moved ORDER BY id ON CONFLICT DO NOTHING)
     SELECT count(*)::int AS n FROM moved`,
    args,
  );
  await tx.query(
    `WITH m AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS u(from_id, into_id)),
     repointed AS (UPDATE story_aliases s SET story_id = m.into_id FROM m WHERE s.story_id = m.from_id)
     INSERT INTO story_aliases (old_id, story_id) SELECT from_id, into_id FROM m ORDER BY from_id
     ON CONFLICT (old_id) DO UPDATE SET story_id = excluded.story_id`,
    [args[0], args[1]],
  );
  return moved.rows[0]?.n ?? 0;
}

/** Postings: each story used each term at the given time (the newest time is kept). */
export async function postStoryTerms(tx: StoryTx, postings: { term: string; storyId: string; lastAt: Date }[]): Promise<void> {
  if (postings.length === 0) return;
  await tx.query(
    `INSERT INTO story_terms (term, story_id, last_at)
     SELECT term, story, max(at) FROM unnest($1::text[], $2::bigint[], $3::timestamptz[]) AS u(term, story, at)
     GROUP BY term, story ORDER BY story, term
     ON CONFLICT (term, story_id) DO UPDATE SET last_at = excluded.last_at
     -- A posting already as new is left alone: no new row version for nothing.
     WHERE story_terms.last_at < excluded.last_at`,
    [postings.map((p) => p.term), postings.map((p) => p.storyId), postings.map((p) => p.lastAt)],
  );
}

/** Counts `count` more documents for each term. */
export async function countTermDocuments(tx: StoryTx, counts: Map<string, number>): Promise<void> {
  if (counts.size === 0) return;
  const terms = [...counts.keys()].sort();
  await tx.query(
    `INSERT INTO term_stats (term, df) SELECT * FROM unnest($1::text[], $2::int[])
     ON CONFLICT (term) DO UPDATE SET df = term_stats.df + excluded.df`,
    [terms, terms.map((t) => counts.get(t) ?? 0)],
  );
}

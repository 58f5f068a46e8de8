import type { Queryable } from '../pool.js';
import type { StoryTx } from '../story-lock.js';

/**
 * Postings and document counts written later (migration 015): the articles a batch placed are
 * noted in unposted_articles, and their terms reach story_terms and term_stats when
 * postUnpostedArticles runs, coalesced over every batch noted since. The two together always say
 * what writing each batch's postings at once would have.
 */

/** These placed articles' postings and counts are to be written later. */
export async function noteUnpostedArticles(tx: StoryTx, articleIds: readonly string[]): Promise<void> {
  if (articleIds.length === 0) return;
  await tx.query(`INSERT INTO unposted_articles (article_id) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING`, [articleIds]);
}

export async function countUnpostedArticles(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM unposted_articles');
  return rows[0]?.n ?? 0;
}

/**
 * Writes the postings and document counts of up to `limit` unposted articles (the oldest ids
 * first) in one statement: each term of each article posted for the story the article is in now
 * (a story merged since has passed its articles on), dated by its newest article using it, and
 * counted once per article not counted yet. Articles stored without features were posted when
 * placed and are not noted. Returns how many articles it wrote.
 */
export async function postUnpostedArticles(tx: StoryTx, limit = 2_147_483_647): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `WITH taken AS (
       DELETE FROM unposted_articles WHERE article_id IN (SELECT article_id FROM unposted_articles ORDER BY article_id LIMIT $1)
       RETURNING article_id, counted),
     terms AS (
       SELECT t.term, a.story_id, a.event_at, taken.counted
       FROM taken JOIN articles a ON a.id = taken.article_id
       CROSS JOIN LATERAL jsonb_object_keys(a.features) AS t(term)
       WHERE jsonb_typeof(a.features) = 'object'),
     posted AS (
       INSERT INTO story_terms (term, story_id, last_at)
       SELECT term, story_id, max(event_at) FROM terms WHERE story_id IS NOT NULL
       GROUP BY term, story_id ORDER BY story_id, term
       ON CONFLICT (term, story_id) DO UPDATE SET last_at = excluded.last_at
       -- A posting already as new is left alone: no new row version for nothing.
       WHERE story_terms.last_at < excluded.last_at),
     counted AS (
       INSERT INTO term_stats (term, df) SELECT term, count(*) FROM terms WHERE NOT counted GROUP BY term ORDER BY term
       ON CONFLICT (term) DO UPDATE SET df = term_stats.df + excluded.df)
     SELECT count(*)::int AS n FROM taken`,
    [limit],
  );
  return rows[0]?.n ?? 0;
}

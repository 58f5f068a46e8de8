import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, until, type TestDatabase } from '@newsfold/testing';
import { withStoriesLocked } from '../story-lock.js';
import { countTermDocuments, postStoryTerms, termPostings } from './story-engine.js';

/** The postings index (story_terms) as the story assigner writes and reads it, on a real Postgres. */
describe('story_terms', () => {
  let db: TestDatabase;
  const stories: string[] = [];
  const T = Date.UTC(2026, 11, 1);

  beforeAll(async () => {
    db = await createTestDatabase();
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO stories (title, first_seen_at, updated_at) SELECT 'story ' || n, now(), now() FROM generate_series(1, 20) n RETURNING id::text`,
    );
    stories.push(...rows.map((r) => r.id));
  });
  afterAll(() => db.drop());

  const post = (at: number, terms: string[], of = stories) =>
    withStoriesLocked(db.pool, (tx) => postStoryTerms(tx, of.flatMap((storyId) => terms.map((term) => ({ term, storyId, lastAt: new Date(at) })))));

  const counts = async (table = 'story_terms') => {
    const { rows } = await db.pool.query<{ upd: number; hot: number }>(
      `SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = $1`,
      [table],
    );
    return rows[0] ?? { upd: 0, hot: 0 };
  };

  it('moves a posting to its newer time without touching an index (a HOT update)', async () => {
    // 20 stories × 60 terms: postings over several pages, then a few stories use their terms again.
    await post(T, Array.from({ length: 60 }, (_, i) => `term${i}`));
    const before = await counts();
    await post(T + 60_000, ['term1', 'term2', 'term3'], stories.slice(0, 5));
    await until('statistics flushed', async () => (await counts()).upd >= before.upd + 15, { timeoutMs: 5_000, everyMs: 100 });
    const after = await counts();
    expect(after.upd - before.upd).toBe(15);
    expect(after.hot - before.hot).toBe(15);
  });

  it("reads a term's newest postings first, as many as asked for", async () => {
    await post(T + 120_000, ['term7'], stories.slice(10, 12));
    const postings = await termPostings(db.pool, ['term7', 'never-used'], 3);
    const term7 = postings.get('term7') ?? [];
    expect(term7.map((p) => p.lastAt)).toEqual([T + 120_000, T + 120_000, T]);
    expect(term7.slice(0, 2).map((p) => p.storyId).sort()).toEqual(stories.slice(10, 12).sort());
    expect(postings.get('never-used')).toEqual([]);
  });

  it('counts documents again in place (HOT updates of term_stats)', async () => {
    const count = (terms: string[]) => withStoriesLocked(db.pool, (tx) => countTermDocuments(tx, new Map(terms.map((t) => [t, 1]))));
    await count(Array.from({ length: 600 }, (_, i) => `counted${i}`));
    const before = await counts('term_stats');
    await count(Array.from({ length: 30 }, (_, i) => `counted${i * 20}`));
    await until('statistics flushed', async () => (await counts('term_stats')).upd >= before.upd + 30, { timeoutMs: 5_000, everyMs: 100 });
    const after = await counts('term_stats');
    expect(after.upd - before.upd).toBe(30);
    expect(after.hot - before.hot).toBe(30);
  });
});

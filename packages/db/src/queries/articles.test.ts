import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { articleInput as article, createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { upsertArticles } from './articles.js';
import { insertFeed } from './feeds.js';
import { ensureOutlet } from './outlets.js';

describe('upsertArticles', () => {
  let db: TestDatabase;
  let feedA: { feedId: string; outletId: string };
  let feedB: { feedId: string; outletId: string };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query('TRUNCATE articles, stories, feeds, outlets RESTART IDENTITY CASCADE');
    const outletId = await ensureOutlet(db.pool, { siteKey: 'outlet.example', name: 'Outlet', siteUrl: null });
    const a = await insertFeed(db.pool, { url: 'https://outlet.example/a.xml' });
    const b = await insertFeed(db.pool, { url: 'https://outlet.example/b.xml' });
    feedA = { feedId: a.feed.id, outletId };
    feedB = { feedId: b.feed.id, outletId };
  });

  it('creates, then leaves unchanged rows alone on replay', async () => {
    const first = await upsertArticles(db.pool, feedA, [article('1'), article('2')]);
    expect(first.map((r) => r.status)).toEqual(['created', 'created']);
    const again = await upsertArticles(db.pool, feedA, [article('1'), article('2')]);
    expect(again.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
    expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id));
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM articles');
    expect(rows[0].n).toBe(2);
  });

  it('updates an article whose content changed', async () => {
    const [created] = await upsertArticles(db.pool, feedA, [article('1')]);
    const [updated] = await upsertArticles(db.pool, feedA, [article('1', { title: 'New title', contentHash: 'h2' })]);
    expect(updated).toEqual({ id: created?.id, guid: '1', status: 'changed', newlyCarried: false });
    const { rows } = await db.pool.query('SELECT title FROM articles');
    expect(rows).toEqual([{ title: 'New title' }]);
  });

  it('never lets an older fetch overwrite content a newer one stored (batches normalised out of order)', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 9, minute));
    const [created] = await upsertArticles(db.pool, { ...feedA, seenAt: at(10) }, [article('1', { title: 'From 9:10', contentHash: 'h10' })]);
    const [older] = await upsertArticles(db.pool, { ...feedA, seenAt: at(5) }, [article('1', { title: 'From 9:05', contentHash: 'h05' })]);
    expect(older).toEqual({ id: created?.id, guid: '1', status: 'unchanged', newlyCarried: false });
    const [newer] = await upsertArticles(db.pool, { ...feedA, seenAt: at(20) }, [article('1', { title: 'From 9:20', contentHash: 'h20' })]);
    expect(newer?.status).toBe('changed');
    const { rows } = await db.pool.query('SELECT title, fetched_at AS "fetchedAt" FROM articles');
    expect(rows).toEqual([{ title: 'From 9:20', fetchedAt: at(20) }]);
  });

  it('treats the same canonical URL in another feed, or under another guid, as the same article', async () => {
    const [inA] = await upsertArticles(db.pool, feedA, [article('1')]);
    const [inB] = await upsertArticles(db.pool, feedB, [article('other-guid', { url: 'https://outlet.example/1', contentHash: 'h-1' })]);
    expect(inB?.id).toBe(inA?.id);
    // Feed B is recorded as carrying it, once: what it newly shares is marked, a replay is not.
    expect(inB?.newlyCarried).toBe(true);
    const [again] = await upsertArticles(db.pool, feedB, [article('other-guid', { url: 'https://outlet.example/1', contentHash: 'h-1' })]);
    expect(again?.newlyCarried).toBe(false);
    const carriers = await db.pool.query<{ feedId: string }>('SELECT feed_id::text AS "feedId" FROM article_feeds WHERE article_id = $1 ORDER BY feed_id', [inA?.id]);
    expect(carriers.rows.map((r) => r.feedId)).toEqual([feedA.feedId, feedB.feedId].sort((x, y) => Number(x) - Number(y)));
    const sameBatch = await upsertArticles(db.pool, feedA, [
      article('x', { url: 'https://outlet.example/shared' }),
      article('y', { url: 'https://outlet.example/shared' }),
    ]);
    expect(sameBatch[0]?.id).toBe(sameBatch[1]?.id);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM articles');
    expect(rows[0].n).toBe(2);
  });

  it("prefers the feed's article at an entry's link to its article under the entry's guid", async () => {
    const [first, second] = await upsertArticles(db.pool, feedA, [
      article('g', { url: 'https://outlet.example/1' }),
      article('g#2', { url: 'https://outlet.example/2' }),
    ]);
    const [atLink] = await upsertArticles(db.pool, feedA, [article('g', { url: 'https://outlet.example/2', contentHash: 'h-2' })]);
    expect(atLink?.id).toBe(second?.id);
    // With no article at the new link, the guid's article is the one whose link changed.
    const [moved] = await upsertArticles(db.pool, feedA, [article('g', { url: 'https://outlet.example/1b', contentHash: 'h-1b' })]);
    expect(moved).toMatchObject({ id: first?.id, status: 'changed' });
  });

  it('creates each article once when workers race on the same entries', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => article(String(i)));
    const results = await Promise.all([1, 2, 3, 4].map(() => upsertArticles(db.pool, feedA, entries)));
    const ids = results.map((r) => r.map((x) => x.id).sort());
    for (const list of ids) expect(list).toEqual(ids[0]);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM articles');
    expect(rows[0].n).toBe(50);
  });
});

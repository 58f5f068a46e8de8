import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureOutlet, insertFeed, upsertArticles } from '@newsfold/db';
import { createTestDatabase, resetClustering, type TestDatabase } from '@newsfold/testing';
import { keepOnly, readPlaced, type ReadArticles } from './settle-rows.js';
import { StoryEngine } from './story-engine.js';
import { asInput, T0 } from './testdata/generated-news.js';

const HOUR = 3_600_000;

describe('readPlaced', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => resetClustering(db.pool));

  it('takes what did not change as it was read, reads again what did, and follows articles to their stories', async () => {
    const outletId = await ensureOutlet(db.pool, { siteKey: 'outlet.example', name: 'Outlet', siteUrl: null });
    const { feed } = await insertFeed(db.pool, { url: 'https://outlet.example/feed.xml' });
    const items = [
      { guid: 'a', title: 'Volcano erupts near Reykjavik, flights grounded', at: new Date(T0 + HOUR) },
      { guid: 'b', title: 'Central bank raises interest rates to a record', at: new Date(T0 + 2 * HOUR) },
      { guid: 'c', title: 'Glacier collapse blocks mountain pass', at: new Date(T0 + 3 * HOUR) },
    ];
    await upsertArticles(db.pool, { feedId: feed.id, outletId }, items.map(asInput));
    await new StoryEngine(db.pool, { windowMs: 72 * HOUR }).placeBatch();
    const read: ReadArticles = new Map();
    const from = new Date(T0);
    const first = await readPlaced(db.pool, from, null, read);
    expect(first.map((r) => r.row.guid).sort()).toEqual(['a', 'b', 'c']);
    const byGuid = (rows: typeof first) => new Map(rows.map((r) => [r.row.guid, r]));

    // b's outlet rewrote it; c moved to a's story; a stays.
    await upsertArticles(db.pool, { feedId: feed.id, outletId }, [{ ...asInput({ ...items[1]!, title: 'Central bank lifts rates again' }), contentHash: 'rewritten' }]);
    const { rows } = await db.pool.query<{ guid: string; story: string }>('SELECT guid, story_id::text AS story FROM articles ORDER BY guid');
    const storyOfA = rows.find((r) => r.guid === 'a')?.story;
    await db.pool.query(`UPDATE articles SET story_id = $1 WHERE guid = 'c'`, [storyOfA]);
    const second = byGuid(await readPlaced(db.pool, from, null, read));
    const was = byGuid(first);
    expect(second.get('a')?.article).toBe(was.get('a')?.article);
    expect(second.get('b')?.article).not.toBe(was.get('b')?.article);
    expect(second.get('b')?.article.titleKey).toBe('central bank lifts rates again');
    expect(second.get('c')?.article).toBe(was.get('c')?.article);
    expect(second.get('c')?.row.storyId).toBe(storyOfA);

    // Out of any story (pending again): not read; and forgotten once no pass reads it.
    await db.pool.query(`UPDATE articles SET story_id = NULL WHERE guid = 'a'`);
    const third = await readPlaced(db.pool, from, null, read);
    expect(third.map((r) => r.row.guid).sort()).toEqual(['b', 'c']);
    keepOnly(read, third.map((r) => r.row.id));
    expect(read.size).toBe(2);
    expect(await readPlaced(db.pool, new Date(T0 + 2.5 * HOUR), new Date(T0 + 4 * HOUR), read)).toHaveLength(1);
  });
});

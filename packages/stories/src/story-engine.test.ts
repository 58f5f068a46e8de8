import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countPendingArticles, countUnpostedArticles, ensureOutlet, foldStories, insertFeed, loadCandidateStories, postUnpostedArticles, refreshStories, upsertArticles } from '@newsfold/db';
import { createTestDatabase, resetClustering, type TestDatabase } from '@newsfold/testing';
import { mergeStories, splitStory } from './corrections.js';
import { removeFeed } from './feeds.js';
import { refreshStoriesOfArticles } from './refresh.js';
import { placePending } from './place-pending.js';
import { defaultMaxStories, StoryEngine } from './story-engine.js';
import { withStoryWrite } from './story-write.js';
import { asInput, generatedNews, T0 } from './testdata/generated-news.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;

describe('StoryEngine', () => {
  let db: TestDatabase;
  let feedId: string;
  let outletId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await resetClustering(db.pool);
    outletId = await ensureOutlet(db.pool, { siteKey: 'outlet.example', name: 'Outlet', siteUrl: null });
    feedId = (await insertFeed(db.pool, { url: 'https://outlet.example/feed.xml' })).feed.id;
  });

  const store = (items: { guid: string; title: string; at: Date }[], feed = feedId) => upsertArticles(db.pool, { feedId: feed, outletId }, items.map(asInput));

  /** Which articles share a story, as sorted groups of guids: comparable across runs whatever the story ids. */
  async function partition(): Promise<string[][]> {
    const { rows } = await db.pool.query<{ guids: string[] }>(
      `SELECT array_agg(guid ORDER BY guid) AS guids FROM articles GROUP BY story_id ORDER BY min(guid)`,
    );
    return rows.map((r) => r.guids);
  }

  async function pending(): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE story_id IS NULL');
    return rows[0]?.n ?? -1;
  }

  async function runBatches(next: () => StoryEngine, batchSize: number): Promise<void> {
    for (;;) {
      const batch = await next().placeBatch({ limit: batchSize });
      if (batch.placed === 0) return;
    }
  }

  it('holds by default as many stories as a share of the heap limit allows, at least 20,000', () => {
    const GiB = 2 ** 30;
    expect(defaultMaxStories(8 * GiB)).toBeGreaterThan(1.99 * defaultMaxStories(4 * GiB));
    // Node's default heap on a large machine holds a window of a million articles (~340k stories).
    expect(defaultMaxStories(4 * GiB)).toBeGreaterThan(340_000);
    expect(defaultMaxStories(32 * 2 ** 20)).toBe(20_000);
  });

  it('places as a cold engine would: what it keeps from batch to batch is what storage says', async () => {
    const news = generatedNews(11, 40, 600);
    await store(news);
    // With the IDF following every batch's counts, as an engine loading afresh does, and each
    // batch written in slices of 7 while the next is placed.
    const warm = new StoryEngine(db.pool, { windowMs: WINDOW, idfDrift: 0, sliceSize: 7 });
    await runBatches(() => warm, 40);
    const warmGroups = await partition();
    expect(await pending()).toBe(0);
    // Folding happened: fewer stories than articles, more than one story.
    expect(warmGroups.length).toBeGreaterThan(20);
    expect(warmGroups.length).toBeLessThan(400);

    await resetClustering(db.pool);
    outletId = await ensureOutlet(db.pool, { siteKey: 'outlet.example', name: 'Outlet', siteUrl: null });
    feedId = (await insertFeed(db.pool, { url: 'https://outlet.example/feed.xml' })).feed.id;
    await store(news);
    // A new engine for every batch: everything it reads comes from storage.
    await runBatches(() => new StoryEngine(db.pool, { windowMs: WINDOW }), 40);
    expect(await partition()).toEqual(warmGroups);

    await resetClustering(db.pool);
    outletId = await ensureOutlet(db.pool, { siteKey: 'outlet.example', name: 'Outlet', siteUrl: null });
    feedId = (await insertFeed(db.pool, { url: 'https://outlet.example/feed.xml' })).feed.id;
    await store(news);
    // Holding a few stories at most: it forgets most between batches and reads them back.
    const forgetful = new StoryEngine(db.pool, { windowMs: WINDOW, idfDrift: 0, sliceSize: 7, maxStories: 10 });
    await runBatches(() => forgetful, 40);
    expect(await partition()).toEqual(warmGroups);

    await resetClustering(db.pool);
    outletId = await ensureOutlet(db.pool, { siteKey: 'outlet.example', name: 'Outlet', siteUrl: null });
    feedId = (await insertFeed(db.pool, { url: 'https://outlet.example/feed.xml' })).feed.id;
    await store(news);
    // A new engine for every batch that loads only the 5 most recently active stories of the window.
    await runBatches(() => new StoryEngine(db.pool, { windowMs: WINDOW, maxStories: 10 }), 40);
    expect(await partition()).toEqual(warmGroups);
  });

  it('two engines taking turns (one assigner after another) place as one does', async () => {
    const news = generatedNews(12, 30, 400);
    await store(news);
    await runBatches(() => new StoryEngine(db.pool, { windowMs: WINDOW }), 50);
    const alone = await partition();

    await resetClustering(db.pool);
    outletId = await ensureOutlet(db.pool, { siteKey: 'outlet.example', name: 'Outlet', siteUrl: null });
    feedId = (await insertFeed(db.pool, { url: 'https://outlet.example/feed.xml' })).feed.id;
    await store(news);
    const engines = [new StoryEngine(db.pool, { windowMs: WINDOW }), new StoryEngine(db.pool, { windowMs: WINDOW })];
    let turn = 0;
    await runBatches(() => engines[turn++ % 2] as StoryEngine, 50);
    expect(await partition()).toEqual(alone);
  });

  it('sees a merge made between its batches: later articles join the surviving story', async () => {
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW });
    const at = new Date(T0 + HOUR);
    await store([
      { guid: 'a1', title: 'Volcano erupts near harbour town of Kelsby', at },
      { guid: 'b1', title: 'Central bank raises rates to record level', at },
    ]);
    await engine.placeBatch();
    const ids = (await db.pool.query<{ id: string }>('SELECT DISTINCT story_id::text AS id FROM articles ORDER BY 1')).rows.map((r) => r.id);
    expect(ids).toHaveLength(2);
    const { survivor } = await mergeStories(db.pool, ids);

    // Told of the merge by the story revision, the engine does not place into the story it removed.
    await store([{ guid: 'b2', title: 'Central bank raises rates to a record level', at: new Date(T0 + 2 * HOUR) }]);
    const batch = await engine.placeBatch();
    expect(batch.placed).toBe(1);
    const { rows } = await db.pool.query<{ story: string }>(`SELECT story_id::text AS story FROM articles WHERE guid = 'b2'`);
    expect(rows[0]?.story).toBe(survivor);
  });

  it('sees a split made between its batches: an article like the one split out joins it, not the story it left', async () => {
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW });
    await store([
      { guid: 'a1', title: 'Flooding closes river bridge in Marlow', at: new Date(T0 + HOUR) },
      { guid: 'a2', title: 'Flooding closes river bridge in Marlow, council evacuates Riverside homes', at: new Date(T0 + 2 * HOUR) },
    ]);
    await engine.placeBatch();
    const { rows: placed } = await db.pool.query<{ id: string; story: string; guid: string }>(
      'SELECT id::text, story_id::text AS story, guid FROM articles ORDER BY guid',
    );
    expect(new Set(placed.map((r) => r.story)).size).toBe(1);
    const { created } = await splitStory(db.pool, placed[0]?.story ?? '', [placed[1]?.id ?? '']);

    await store([{ guid: 'a3', title: 'Council evacuates Riverside homes as flooding closes Marlow bridge', at: new Date(T0 + 3 * HOUR) }]);
    await engine.placeBatch();
    const { rows } = await db.pool.query<{ story: string }>(`SELECT story_id::text AS story FROM articles WHERE guid = 'a3'`);
    expect(rows[0]?.story).toBe(created);
  });

  it('sees a feed removed between its batches, with the stories only it held', async () => {
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW });
    const other = (await insertFeed(db.pool, { url: 'https://outlet.example/other.xml' })).feed.id;
    await store([{ guid: 'x1', title: 'Glacier collapse blocks mountain pass near Andermatt', at: new Date(T0 + HOUR) }], other);
    await engine.placeBatch();
    expect(await removeFeed(db.pool, other)).toBe(true);
    expect((await db.pool.query('SELECT 1 FROM stories')).rowCount).toBe(0);

    await store([{ guid: 'y1', title: 'Glacier collapse blocks mountain pass near Andermatt', at: new Date(T0 + 2 * HOUR) }]);
    const batch = await engine.placeBatch();
    expect(batch).toMatchObject({ placed: 1, newStories: 1 });
  });

  it('holds the stories of a few hours before the window it loads, for articles a little older than the first', async () => {
    await store([{ guid: 'volcano', title: 'Volcano erupts near harbour town of Kelsby, villages evacuated', at: new Date(T0) }]);
    await placePending(db.pool, { windowMs: WINDOW });
    // Three hours past the volcano story's window: it is held, as an article three hours older would need it.
    await store([{ guid: 'ferry', title: 'Ferry strike halts crossings between Ostravel and the islands', at: new Date(T0 + WINDOW + 3 * HOUR) }]);
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW });
    await engine.placeBatch();
    expect(engine.heldStories).toBe(2);
    // Seven hours past it (and four past the ferry's start): the volcano story is not held, the ferry's is.
    await store([{ guid: 'bridge', title: 'Bridge closed after lorry strikes railings on the Tamber crossing', at: new Date(T0 + WINDOW + 7 * HOUR) }]);
    const later = new StoryEngine(db.pool, { windowMs: WINDOW });
    await later.placeBatch();
    expect(later.heldStories).toBe(2);
  });

  it('finds the story of an article older than the window it holds, from storage', async () => {
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW });
    await store([{ guid: 'a1', title: 'Volcano erupts near harbour town of Kelsby, villages evacuated', at: new Date(T0) }]);
    await engine.placeBatch();
    // Ten days on: what the engine holds starts seven days after the volcano story.
    await store(generatedNews(18, 3, 20).map((n) => ({ ...n, guid: `later-${n.guid}`, at: new Date(n.at.getTime() + 10 * 24 * HOUR) })));
    expect((await engine.placeBatch()).loadSeconds, 'held since the first batch').toBe(0);
    await store([{ guid: 'a2', title: 'Kelsby villages evacuated as volcano erupts near harbour town', at: new Date(T0 + HOUR) }]);
    expect((await engine.placeBatch()).placed).toBe(1);
    const { rows } = await db.pool.query<{ guid: string; story: string }>(`SELECT guid, story_id::text AS story FROM articles WHERE guid IN ('a1', 'a2') ORDER BY guid`);
    expect(rows[1]?.story).toBe(rows[0]?.story);
  });

  /** story_terms and term_stats as the stored articles say they should be (rebuildStoryTerms' rule, and one count per article). */
  async function postingsState(): Promise<{ postings: string[]; expected: string[]; counts: string[]; expectedCounts: string[] }> {
    const q = async (sql: string) => (await db.pool.query<{ r: string }>(sql)).rows.map((row) => row.r);
    return {
      postings: await q(`SELECT concat_ws(' ', story_id, term, last_at) AS r FROM story_terms ORDER BY 1`),
      expected: await q(
        `SELECT concat_ws(' ', a.story_id, t.term, max(a.event_at)) AS r FROM articles a CROSS JOIN LATERAL jsonb_object_keys(a.features) t(term)
         GROUP BY a.story_id, t.term ORDER BY 1`,
      ),
      counts: await q(`SELECT concat_ws(' ', term, df) AS r FROM term_stats ORDER BY 1`),
      expectedCounts: await q(`SELECT concat_ws(' ', t.term, count(*)) AS r FROM articles a CROSS JOIN LATERAL jsonb_object_keys(a.features) t(term) GROUP BY t.term ORDER BY 1`),
    };
  }

  it('writes postings and document counts later, when nothing is pending, as writing them with each batch would have', async () => {
    await store(generatedNews(19, 12, 240));
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW });
    let placed = 0;
    let merges = 0;
    for (let batch = await engine.placeBatch({ limit: 60 }); batch.placed > 0; batch = await engine.placeBatch({ limit: 60 })) {
      placed += batch.placed;
      merges += batch.merges;
      expect(batch.posted, 'nothing written while articles wait').toBe(0);
    }
    expect(placed).toBe(240);
    expect(merges, 'stories were folded on the way').toBeGreaterThan(0);
    // The call that found nothing pending wrote them all (fewer than one idle call's worth).
    expect(await countUnpostedArticles(db.pool)).toBe(0);
    const after = await postingsState();
    expect(after.expected.length).toBeGreaterThan(12);
    expect(after.postings).toEqual(after.expected);
    expect(after.counts).toEqual(after.expectedCounts);
    expect((await engine.placeBatch()).posted, 'nothing left to write').toBe(0);
  });

  it('posts the articles of a folded story for the story it was folded into', async () => {
    await store(generatedNews(19, 12, 120));
    await placePending(db.pool, { windowMs: WINDOW });
    expect(await countUnpostedArticles(db.pool)).toBe(0);
    // Two stories of different events, their postings written: one folded into the other, as the assigner folds them.
    const { rows } = await db.pool.query<{ id: string }>(`SELECT story_id::text AS id FROM articles GROUP BY story_id ORDER BY count(*) DESC, story_id LIMIT 2`);
    const [into, from] = rows.map((r) => r.id);
    if (!into || !from) return expect.fail('the test needs two stories');
    const { rows: own } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM story_terms f WHERE f.story_id = $1 AND NOT EXISTS (SELECT 1 FROM story_terms i WHERE i.story_id = $2 AND i.term = f.term)`,
      [from, into],
    );
    expect(own[0]?.n, 'terms only the folded story has').toBeGreaterThan(0);
    const moved = await withStoryWrite(db.pool, async (tx) => {
      const n = await foldStories(tx, [{ from, into, reason: 'merged: 0.50', score: 0.5 }]);
      await refreshStories(tx, [from, into], { mayBeEmpty: [from] });
      return n;
    });
    expect(await countUnpostedArticles(db.pool)).toBe(moved);
    const before = await postingsState();
    expect(before.postings).not.toEqual(before.expected);
    // Counted once, when they were placed.
    expect(before.counts).toEqual(before.expectedCounts);
    await withStoryWrite(db.pool, (tx) => postUnpostedArticles(tx));
    const after = await postingsState();
    expect(after.postings).toEqual(after.expected);
    expect(after.counts).toEqual(after.expectedCounts);
  });

  it('writes the postings left for later once they pass the bound, and a new engine writes what another left', async () => {
    await store(generatedNews(20, 12, 240));
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW, maxUnposted: 100 });
    let postedWhilePlacing = 0;
    for (let i = 0; i < 4; i++) {
      const batch = await engine.placeBatch({ limit: 40 });
      postedWhilePlacing += batch.posted;
      expect(await countUnpostedArticles(db.pool)).toBeLessThanOrEqual(100);
    }
    // 40, 80, then past 100 at 120 (and those of stories folded on the way): all written.
    expect(postedWhilePlacing).toBeGreaterThanOrEqual(120);
    const left = await countUnpostedArticles(db.pool);
    expect(left).toBeGreaterThanOrEqual(40);
    // An engine taking over writes what its predecessor left before it reads the window.
    const next = await new StoryEngine(db.pool, { windowMs: WINDOW }).placeBatch({ limit: 40 });
    expect(next.posted).toBe(left);
    expect(await countUnpostedArticles(db.pool)).toBeGreaterThanOrEqual(40);
    await placePending(db.pool, { windowMs: WINDOW });
    const after = await postingsState();
    expect(await countUnpostedArticles(db.pool)).toBe(0);
    expect(after.postings).toEqual(after.expected);
    expect(after.counts).toEqual(after.expectedCounts);
  });

  it('leaves the articles pending when a batch fails, and places them at the next', async () => {
    // In slices: the first slice's write fails while the next ones are placed.
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW, sliceSize: 4 });
    await store(generatedNews(13, 5, 30));
    await db.pool.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
      CREATE TRIGGER refuse BEFORE INSERT ON stories FOR EACH ROW EXECUTE FUNCTION refuse()`);
    try {
      await expect(engine.placeBatch()).rejects.toThrow(/refused/);
      expect(await pending()).toBe(30);
    } finally {
      await db.pool.query('DROP TRIGGER refuse ON stories; DROP FUNCTION refuse()');
    }
    expect((await engine.placeBatch()).placed).toBe(30);
    expect(await pending()).toBe(0);
  });

  it("keeps on each story what loading it reads of its newest articles, and reads them from the articles after a correction", async () => {
    await store(generatedNews(14, 20, 300));
    await runBatches(() => new StoryEngine(db.pool, { windowMs: WINDOW }), 60);
    const { rows } = await db.pool.query<{ id: string }>('SELECT id::text FROM stories WHERE article_count BETWEEN 2 AND 20 ORDER BY id');
    const ids = rows.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(5);
    const { rows: kept } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stories WHERE recent_title_keys IS NOT NULL');
    expect(kept[0]?.n).toBeGreaterThan(0);
    const sorted = (stories: Awaited<ReturnType<typeof loadCandidateStories>>) =>
      stories.map((s) => ({ id: s.storyId, titleKeys: [...s.titleKeys].sort(), signatures: s.signatures.map((x) => x.join(',')).sort() }));
    const stored = sorted(await loadCandidateStories(db.pool, ids));
    await db.pool.query('UPDATE stories SET recent_signatures = NULL, recent_title_keys = NULL');
    const walked = sorted(await loadCandidateStories(db.pool, ids));
    expect(stored).toEqual(walked);

    // A split changes what a story holds by other means than placing: it is read from its articles.
    await runBatches(() => new StoryEngine(db.pool, { windowMs: WINDOW }), 60);
    const story = ids[0] as string;
    const { rows: members } = await db.pool.query<{ id: string }>('SELECT id::text FROM articles WHERE story_id = $1 ORDER BY event_at, id', [story]);
    await store(generatedNews(15, 5, 40).map((n) => ({ ...n, guid: `more-${n.guid}` })));
    await runBatches(() => new StoryEngine(db.pool, { windowMs: WINDOW }), 60);
    const { created } = await splitStory(db.pool, story, [members[0]?.id as string]);
    const { rows: after } = await db.pool.query<{ id: string; known: boolean }>(
      'SELECT id::text, recent_title_keys IS NOT NULL AS known FROM stories WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[story, created]],
    );
    expect(after.map((r) => r.known)).toEqual([false, false]);
    const [left] = await loadCandidateStories(db.pool, [created]);
    const { rows: title } = await db.pool.query<{ key: string }>('SELECT title_key AS key FROM articles WHERE id = $1', [members[0]?.id]);
    expect(left?.titleKeys).toEqual([title[0]?.key]);

    // An outlet rewrote a headline (a refetch): the story's kept headlines are stale, read anew.
    const { rows: another } = await db.pool.query<{ id: string; story: string }>(
      'SELECT a.id::text, a.story_id::text AS story FROM articles a JOIN stories s ON s.id = a.story_id WHERE s.recent_title_keys IS NOT NULL LIMIT 1',
    );
    const rewritten = another[0];
    if (!rewritten) throw new Error('no story keeps its headlines');
    await db.pool.query(`UPDATE articles SET title_key = 'rewritten headline about something else' WHERE id = $1`, [rewritten.id]);
    await refreshStoriesOfArticles(db.pool, [rewritten.id]);
    const [reread] = await loadCandidateStories(db.pool, [rewritten.story]);
    expect(reread?.titleKeys).toContain('rewritten headline about something else');
  });

  it("takes a fair share of every feed's pending articles: a back catalogue does not hold another feed's new ones back", async () => {
    const other = (await insertFeed(db.pool, { url: 'https://outlet.example/small.xml' })).feed.id;
    // 600 old articles of one feed, then 5 new ones of another.
    await store(generatedNews(16, 30, 600));
    await store(
      generatedNews(17, 2, 5).map((n) => ({ ...n, guid: `new-${n.guid}`, at: new Date(T0 + 30 * 24 * HOUR) })),
      other,
    );
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW });
    await engine.placeBatch({ limit: 200 });
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(story_id)::int AS n FROM articles WHERE feed_id = $1', [other]);
    expect(rows[0]?.n).toBe(5);
    expect(await pending()).toBe(600 + 5 - 200);
    // What waits, but for articles set aside (the settle pass gives way to the rest only).
    const { rows: one } = await db.pool.query<{ id: string }>('SELECT id::text FROM articles WHERE story_id IS NULL LIMIT 1');
    expect(await countPendingArticles(db.pool, [one[0]?.id as string])).toBe(600 + 5 - 200 - 1);
  });
});

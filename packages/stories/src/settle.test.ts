import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bumpStoryRevision, countUnpostedArticles, ensureOutlet, foldStories, insertFeed, refreshStories, storyAlias, upsertArticles } from '@newsfold/db';
import { createTestDatabase, resetClustering, seededRandom, watchEventLoop, type TestDatabase } from '@newsfold/testing';
import { mergeStories, splitStory } from './corrections.js';
import { SETTLED_REASON, settleStories, type SettleMemoryHolder } from './settle.js';
import { StoryEngine } from './story-engine.js';
import { withStoryWrite } from './story-write.js';
import { asInput, generatedNews, T0 } from './testdata/generated-news.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;
/** The pass reaches the whole generated window (news spans about five days). */
const SPAN = 10 * 24 * HOUR;
const NOW = new Date(T0 + 30 * 24 * HOUR);

type News = ReturnType<typeof generatedNews>;

describe('settleStories', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => resetClustering(db.pool));

  /** Stores the items through `feeds` feeds (round robin), in the order given. */
  async function store(items: News, feeds = 1): Promise<void> {
    const outletId = await ensureOutlet(db.pool, { siteKey: 'outlet.example', name: 'Outlet', siteUrl: null });
    const ids: string[] = [];
    for (let i = 0; i < feeds; i++) ids.push((await insertFeed(db.pool, { url: `https://outlet.example/feed-${i}.xml` })).feed.id);
    for (let i = 0; i < items.length; i += 25) {
      const chunk = items.slice(i, i + 25);
      await upsertArticles(db.pool, { feedId: ids[(i / 25) % feeds] as string, outletId }, chunk.map(asInput));
    }
  }

  async function placeAll(batchSize: number): Promise<void> {
    const engine = new StoryEngine(db.pool, { windowMs: WINDOW });
    while ((await engine.placeBatch({ limit: batchSize })).placed > 0);
  }

  /** Which articles share a story, as sorted groups of guids: comparable across runs whatever the ids. */
  async function partition(): Promise<string[][]> {
    const { rows } = await db.pool.query<{ guids: string[] }>(
      `SELECT array_agg(guid ORDER BY guid) AS guids FROM articles GROUP BY story_id ORDER BY min(guid)`,
    );
    return rows.map((r) => r.guids);
  }

  const settle = () => settleStories(db.pool, { windowMs: WINDOW, spanMs: SPAN, now: NOW });

  /** Arrives online in batches of `batchSize`, one batch at a time: what arrives later cannot shape what came first. */
  async function arriveOnline(items: News, batchSize: number): Promise<void> {
    for (let i = 0; i < items.length; i += batchSize) {
      await store(items.slice(i, i + batchSize));
      await placeAll(batchSize);
    }
  }

  it('counts what the assigner placed before it reads document counts, and terms new to a later pass too', async () => {
    const termCounts = async (guidPrefix: string) =>
      (
        await db.pool.query<{ term: string; n: number; only: boolean }>(
          `SELECT t.term, count(*)::int AS n, bool_and(a.guid LIKE $1) AS only
           FROM articles a CROSS JOIN LATERAL jsonb_object_keys(a.features) t(term) GROUP BY t.term`,
          [`${guidPrefix}%`],
        )
      ).rows;
    await store(generatedNews(41, 6, 60));
    // One batch: what it placed is counted later (unposted_articles).
    await new StoryEngine(db.pool, { windowMs: WINDOW }).placeBatch({ limit: 100 });
    expect(await countUnpostedArticles(db.pool)).toBe(60);
    const memory: SettleMemoryHolder = {};
    await settleStories(db.pool, { windowMs: WINDOW, spanMs: SPAN, now: NOW, memory });
    expect(await countUnpostedArticles(db.pool)).toBe(0);
    const first = await termCounts('');
    expect(first.length).toBeGreaterThan(10);
    for (const r of first) expect(memory.idf?.df.get(r.term), r.term).toBe(r.n);

    // Later articles, of other events: a pass resuming in the same hour counts the terms only they have.
    const later = generatedNews(42, 4, 30).map((n) => ({ ...n, guid: `later-${n.guid}`, title: `${n.title} Zorvath Quillen` }));
    await store(later);
    await new StoryEngine(db.pool, { windowMs: WINDOW }).placeBatch({ limit: 100 });
    await settleStories(db.pool, { windowMs: WINDOW, spanMs: SPAN, now: NOW, memory });
    const only = (await termCounts('later-')).filter((r) => r.only);
    expect(only.length).toBeGreaterThan(0);
    for (const r of only) expect(memory.idf?.df.get(r.term), r.term).toBe(r.n);
  });

  it('groups the same articles the same way whatever order they arrived in', async () => {
    const news = generatedNews(21, 30, 360);
    const random = seededRandom(5);
    const orders: [string, News, number][] = [
      ['as published', news, 40],
      ['reversed', [...news].reverse(), 30],
      ['shuffled', [...news].sort(() => random() - 0.5), 50],
    ];
    const online: string[][][] = [];
    const settled: string[][][] = [];
    for (const [, items, batchSize] of orders) {
      await resetClustering(db.pool);
      await arriveOnline(items, batchSize);
      online.push(await partition());
      const report = await settle();
      expect(report).toMatchObject({ articles: news.length, stale: false });
      settled.push(await partition());
    }
    // The orders did group differently online: the pass had something to settle.
    expect(online.some((p) => JSON.stringify(p) !== JSON.stringify(online[0]))).toBe(true);
    expect(settled[1]).toEqual(settled[0]);
    expect(settled[2]).toEqual(settled[0]);
  });

  it('a second pass moves nothing, and stories whose articles did not change keep their ids', async () => {
    const news = generatedNews(22, 25, 300);
    await arriveOnline([...news].reverse(), 40);
    const before = await db.pool.query<{ id: string; guids: string[] }>(`SELECT story_id::text AS id, array_agg(guid ORDER BY guid) AS guids FROM articles GROUP BY story_id`);
    const first = await settle();
    const after = await db.pool.query<{ id: string; guids: string[] }>(`SELECT story_id::text AS id, array_agg(guid ORDER BY guid) AS guids FROM articles GROUP BY story_id`);
    const key = (g: string[]) => g.join(',');
    const idBefore = new Map(before.rows.map((r) => [key(r.guids), r.id]));
    const unchanged = after.rows.filter((r) => idBefore.has(key(r.guids)));
    expect(unchanged.length).toBeGreaterThan(0);
    for (const r of unchanged) expect(r.id).toBe(idBefore.get(key(r.guids)));
    expect(first.moved).toBeGreaterThan(0);

    const second = await settle();
    expect(second).toMatchObject({ moved: 0, newStories: 0, folded: 0 });
    expect(await partition()).toEqual(after.rows.map((r) => r.guids).sort((a, b) => (a[0] as string).localeCompare(b[0] as string)));
  });

  it('resumes from where the previous pass stood, and writes what a pass from scratch writes', async () => {
    const news = generatedNews(31, 12, 300);
    const newest = Math.max(...news.map((n) => n.at.getTime()));
    await arriveOnline(news, 100);
    const memory: SettleMemoryHolder = {};
    const options = { windowMs: WINDOW, spanMs: SPAN, now: NOW, memory };
    expect((await settleStories(db.pool, options)).resumed).toBe(0);
    // New reports of the same events, from the last half hour, placed online.
    const later = generatedNews(31, 12, 300)
      .slice(0, 40)
      .map((n, i) => ({ ...n, guid: `later-${i}`, at: new Date(newest - 30 * 60_000 + i * 60_000) }));
    await arriveOnline(later, 20);
    const resumed = await settleStories(db.pool, options);
    expect(resumed.resumed).toBeGreaterThan(200);
    expect(resumed.articles).toBe(340);
    // A pass from scratch (with the same IDF and stories before the window) finds nothing to move.
    const scratch = await settleStories(db.pool, { ...options, memory: { idf: memory.idf, seeds: memory.seeds } });
    expect(scratch).toMatchObject({ resumed: 0, moved: 0, articles: 340 });
  });

  it('resumes after the assigner merged stories from before the window, and puts what joins them where they are now', async () => {
    const news = generatedNews(32, 12, 300);
    const newest = Math.max(...news.map((n) => n.at.getTime()));
    await arriveOnline(news, 100);
    const memory: SettleMemoryHolder = {};
    const options = { windowMs: WINDOW, spanMs: 24 * HOUR, now: new Date(newest), memory };
    const first = await settleStories(db.pool, options);
    expect(first.resumed).toBe(0);
    // Two stories holding articles from before the window, folded one into the other as the assigner folds them.
    const since = Math.floor((newest - 24 * HOUR) / HOUR) * HOUR;
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT story_id::text AS id FROM articles WHERE event_at < $1 GROUP BY story_id ORDER BY max(event_at) DESC, story_id LIMIT 2`,
      [new Date(since)],
    );
    const [into, from] = rows.map((r) => r.id);
    if (!into || !from) return expect.fail('the test needs two stories before the window');
    await withStoryWrite(db.pool, async (tx) => {
      await foldStories(tx, [{ from, into, reason: 'merged: 0.50', score: 0.5 }]);
      await refreshStories(tx, [from, into]);
      await bumpStoryRevision(tx);
    });
    const later = generatedNews(32, 12, 300)
      .slice(0, 40)
      .map((n, i) => ({ ...n, guid: `later-${i}`, at: new Date(newest - 30 * 60_000 + i * 30_000) }));
    await arriveOnline(later, 20);
    const resumed = await settleStories(db.pool, options);
    expect(resumed.resumed).toBeGreaterThan(0);
    const { rows: lost } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM articles a WHERE a.story_id IS NULL OR NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story_id)',
    );
    expect(lost[0]?.n, 'every article in a story that exists').toBe(0);
    expect((await db.pool.query('SELECT 1 FROM stories WHERE id = $1', [from])).rowCount).toBe(0);
  });

  it('a pass over the last hours agrees with one over the whole window: stories begun before it are there as they were', async () => {
    const news = generatedNews(27, 30, 360);
    await arriveOnline([...news].reverse(), 45);
    const full = await settle();
    expect(full.moved).toBeGreaterThan(0);
    const settled = await partition();
    // Cut through the middle of the news (it spans about five days): many stories straddle the cut.
    const part = await settleStories(db.pool, { windowMs: WINDOW, spanMs: 48 * HOUR, now: NOW });
    expect(part.articles).toBeLessThan(news.length);
    expect(part.articles).toBeGreaterThan(0);
    expect(part.moved).toBe(0);
    expect(await partition()).toEqual(settled);
  });

  it('where a window article goes does not depend on the story it is in now: every story before the window stands', async () => {
    const title = 'Volcano erupts near Reykjavik as flights are grounded across Iceland';
    const items = [
      { guid: 'old', title, at: new Date(T0), event: 0 },
      { guid: 'new', title, at: new Date(T0 + 30 * HOUR), event: 0 },
    ];
    const lastDay = { windowMs: WINDOW, spanMs: 24 * HOUR, now: new Date(T0 + 31 * HOUR) };
    const outcome = async (split: boolean) => {
      await resetClustering(db.pool);
      await arriveOnline(items, 10);
      if (split) {
        // Online, the window's article ended up apart from the older one.
        const { rows } = await db.pool.query<{ id: string }>(`INSERT INTO stories (title, first_seen_at, updated_at) VALUES ('apart', now(), now()) RETURNING id::text`);
        await db.pool.query(`UPDATE articles SET story_id = $1 WHERE guid = 'new'`, [rows[0]?.id]);
      }
      const report = await settleStories(db.pool, lastDay);
      expect(report.articles).toBe(1);
      return partition();
    };
    expect(await outcome(false)).toEqual([['new', 'old']]);
    expect(await outcome(true)).toEqual([['new', 'old']]);
  });

  it('rejoins an event told in two stories; the id that leaves redirects, and moved articles say why', async () => {
    const news = generatedNews(23, 10, 120);
    await arriveOnline(news, 200);
    await settle();
    // A story broken in two as an online decision might have: half its articles in a story of their own.
    const { rows: big } = await db.pool.query<{ id: string; ids: string[] }>(
      `SELECT story_id::text AS id, array_agg(id::text ORDER BY event_at, id) AS ids FROM articles GROUP BY story_id ORDER BY count(*) DESC, story_id LIMIT 1`,
    );
    const story = big[0];
    if (!story) throw new Error('no story');
    const whole = await partition();
    const moved = story.ids.slice(Math.ceil(story.ids.length / 2));
    const { rows: made } = await db.pool.query<{ id: string }>(`INSERT INTO stories (title, first_seen_at, updated_at) VALUES ('part', now(), now()) RETURNING id::text`);
    const part = made[0]?.id as string;
    await db.pool.query('UPDATE articles SET story_id = $1 WHERE id = ANY($2::bigint[])', [part, moved]);

    const report = await settle();
    expect(report.folded).toBeGreaterThanOrEqual(1);
    expect(await partition()).toEqual(whole);
    // The older story keeps its id (it overlaps as much and is older); the part's id leads to it.
    const { rows } = await db.pool.query<{ story: string; reason: string }>(
      'SELECT DISTINCT story_id::text AS story, match_reason AS reason FROM articles WHERE id = ANY($1::bigint[])',
      [moved],
    );
    expect(rows).toEqual([{ story: story.id, reason: SETTLED_REASON }]);
    expect(await storyAlias(db.pool, part)).toBe(story.id);
    expect((await db.pool.query('SELECT 1 FROM stories WHERE id = $1', [part])).rowCount).toBe(0);
  });

  it("editors' splits and merges win over the pass", async () => {
    const news = generatedNews(24, 12, 150);
    await arriveOnline(news, 50);
    await settle();
    const { rows: stories } = await db.pool.query<{ id: string; ids: string[] }>(
      `SELECT story_id::text AS id, array_agg(id::text ORDER BY event_at, id) AS ids FROM articles GROUP BY story_id HAVING count(*) >= 4 ORDER BY count(*) DESC, story_id`,
    );
    const [a, b, c] = stories;
    if (!a || !b || !c) throw new Error('too few stories');
    const out = a.ids.slice(0, 2);
    const { created } = await splitStory(db.pool, a.id, out);
    const { survivor } = await mergeStories(db.pool, [b.id, c.id]);

    await settle();
    const storyOf = async (id: string) => (await db.pool.query<{ s: string }>('SELECT story_id::text AS s FROM articles WHERE id = $1', [id])).rows[0]?.s;
    // The split stays split, under both ids; the merge stays merged, under the survivor's.
    for (const id of out) expect(await storyOf(id)).toBe(created);
    for (const id of a.ids.slice(2)) expect(await storyOf(id)).toBe(a.id);
    for (const id of [...b.ids, ...c.ids]) expect(await storyOf(id)).toBe(survivor);

    // The merged story folded online into another (its articles now say "merged: …"): the
    // editor's mark passes to that story, and the pass still leaves the editor's merge whole.
    const { rows: others } = await db.pool.query<{ id: string; ids: string[] }>(
      `SELECT story_id::text AS id, array_agg(id::text) AS ids FROM articles WHERE NOT (story_id = ANY($1::bigint[])) GROUP BY story_id HAVING count(*) >= 2 ORDER BY story_id LIMIT 1`,
      [[a.id, created, survivor]],
    );
    const d = others[0];
    if (!d) throw new Error('no other story to fold into');
    await withStoryWrite(db.pool, async (tx) => {
      await foldStories(tx, [{ from: survivor, into: d.id, reason: 'merged: 0.31', score: 0.31 }]);
      await refreshStories(tx, [survivor, d.id]);
      await bumpStoryRevision(tx);
    });
    await settle();
    for (const id of [...b.ids, ...c.ids, ...d.ids]) expect(await storyOf(id)).toBe(d.id);
  });

  it('gives way when another story write comes between its reading and its writing', async () => {
    const news = generatedNews(25, 20, 200);
    await arriveOnline([...news].reverse(), 30);
    const before = await partition();
    // A feed's articles placed by another assigner while the pass decides: the pass must not
    // write a grouping decided without them.
    const late = generatedNews(26, 3, 10).map((n) => ({ ...n, guid: `late-${n.guid}` }));
    const pass = settleStories(db.pool, { windowMs: WINDOW, spanMs: SPAN, now: NOW, beforeWrite: async () => {
      await store(late);
      await placeAll(100);
    } });
    const report = await pass;
    expect(report.stale).toBe(true);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE match_reason = $1', [SETTLED_REASON]);
    expect(rows[0]?.n).toBe(0);
    expect((await partition()).flat()).toHaveLength(before.flat().length + late.length);
  });

  it('lets the event loop run while it decides, and gives way to waiting articles', async () => {
    await arriveOnline(generatedNews(28, 120, 3_000), 1_000);
    // How long the pass ever held the event loop up.
    let longest = Infinity;
    const watch = watchEventLoop();
    const report = await settle().finally(() => (longest = watch.stop()));
    expect(report.stale).toBe(false);
    expect(longest).toBeLessThan(150);

    let asked = 0;
    const gave = await settleStories(db.pool, { windowMs: WINDOW, spanMs: SPAN, now: NOW, giveWayEveryMs: 0, giveWay: async () => ++asked >= 2 });
    expect(gave).toMatchObject({ gaveWay: true, moved: 0 });
    expect(asked).toBe(2);
  });
});

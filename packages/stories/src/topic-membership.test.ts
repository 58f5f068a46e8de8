import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import {
  assignArticle,
  countStories,
  countTopicStories,
  createStory,
  ensureOutlet,
  getTopic,
  insertFeed,
  listTopicStories,
  readTopicStories,
  refreshFeedMembership,
  refreshStories,
  refreshTopicMembership,
  staleTopics,
  upsertArticles,
  upsertTopic,
  type Queryable,
  type TopicInput,
} from '@newsfold/db';
import { mergeStories, splitStory } from './corrections.js';
import { removeFeed } from './feeds.js';
import { withStoryWrite } from './story-write.js';
import { recomputeTopic } from './topic-membership.js';

interface Piece {
  feed: string;
  title: string;
  summary?: string;
  minutesAgo?: number;
}

describe('topic membership', () => {
  let db: TestDatabase;
  let feeds: Record<'world' | 'sport' | 'tech' | 'wire', { feedId: string; outletId: string }>;
  let seq = 0;

  const article = async (p: Piece): Promise<string> => {
    seq += 1;
    const feed = feeds[p.feed as keyof typeof feeds];
    const [row] = await upsertArticles(db.pool, feed, [
      {
        guid: `g${seq}`,
        url: `https://outlet.example/${seq}`,
        title: p.title,
        titleKey: p.title.toLowerCase(),
        summary: p.summary ?? null,
        contentHtml: null,
        author: null,
        publishedAt: new Date(Date.now() - (p.minutesAgo ?? 60 - seq) * 60_000),
        contentHash: `h${seq}`,
      },
    ]);
    if (!row) throw new Error('article not stored');
    return row.id;
  };
  /** A story from these pieces, built the way every writer does: articles, then refreshStories. */
  const story = async (...pieces: Piece[]): Promise<string> => {
    const [lead, ...rest] = pieces;
    if (!lead) throw new Error('a story needs a piece');
    const leadId = await article(lead);
    const more: string[] = [];
    for (const p of rest) more.push(await article(p));
    return withStoryWrite(db.pool, async (tx) => {
      const id = await createStory(tx, { articleId: leadId, title: lead.title, eventAt: new Date() });
      await assignArticle(tx, leadId, { storyId: id, score: 1, reason: 'new-story' });
      for (const articleId of more) await assignArticle(tx, articleId, { storyId: id, score: 0.9, reason: 'similar' });
      await refreshStories(tx, [id]);
      return id;
    });
  };
  const join = async (storyId: string, p: Piece) => {
    const articleId = await article(p);
    await withStoryWrite(db.pool, async (tx) => {
      await assignArticle(tx, articleId, { storyId, score: 0.9, reason: 'similar' });
      await refreshStories(tx, [storyId]);
    });
  };
  const members = async (slug: string): Promise<string[]> =>
    (await db.pool.query<{ id: string }>('SELECT story_id::text AS id FROM topic_stories WHERE topic = $1 ORDER BY story_id', [slug])).rows.map((r) => r.id);
  const topic = async (t: TopicInput) => {
    await upsertTopic(db.pool, t);
    await recomputeTopic(db.pool, t.slug);
  };
  const revision = async (slug: string) => (await getTopic(db.pool, slug))?.revision;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(`TRUNCATE articles, stories, feeds, outlets, story_separations RESTART IDENTITY CASCADE`);
    await db.pool.query(`DELETE FROM topics WHERE slug <> 'all'`);
    const make = async (name: string, tags: string[], outlet = name) => ({
      feedId: (await insertFeed(db.pool, { url: `https://${name}.example/feed.xml`, tags })).feed.id,
      outletId: await ensureOutlet(db.pool, { siteKey: `${outlet}.example`, name: outlet, siteUrl: null }),
    });
    feeds = { world: await make('world', ['world']), sport: await make('sport', ['sport']), tech: await make('tech', ['tech']), wire: await make('wire', []) };
  });

  it('follows tags: a story belongs when one of its feeds carries a tag, and joins when it gains one', async () => {
    await topic({ slug: 'world', title: 'World', tags: ['world', 'politics'] });
    const talks = await story({ feed: 'world', title: 'Leaders meet for talks' }, { feed: 'sport', title: 'Talks go on' });
    const match = await story({ feed: 'sport', title: 'Cup final tonight' });
    expect(await members('world')).toEqual([talks]);
    await join(match, { feed: 'world', title: 'Cup final draws leaders' });
    expect(await members('world')).toEqual([talks, match]);
    // The built-in topic has no rows: it is every story.
    expect(await members('all')).toEqual([]);
  });

  it('counts members and stories exactly, or up to a bound', async () => {
    await topic({ slug: 'world', title: 'World', tags: ['world'] });
    for (const title of ['One story here', 'Two stories now', 'Three of them']) await story({ feed: 'world', title });
    await story({ feed: 'sport', title: 'Not in world' });
    expect(await countTopicStories(db.pool, 'world')).toBe(3);
    expect(await countTopicStories(db.pool, 'world', 2)).toBe(2);
    expect(await countTopicStories(db.pool, 'world', 10)).toBe(3);
    expect(await countStories(db.pool)).toBe(4);
    expect(await countStories(db.pool, 3)).toBe(3);
  });

  it('follows a web-search query over titles (A) and summaries (B): OR, exclusion, quoted phrases', async () => {
    await topic({ slug: 'talks', title: 'Talks', query: 'ukraine OR jeddah -football' });
    await topic({ slug: 'saudi', title: 'Saudi', query: '"saudi arabia"' });
    const ukraine = await story({ feed: 'wire', title: 'US and Ukraine hold crucial talks in Saudi Arabia' });
    const jeddah = await story({ feed: 'wire', title: 'Officials meet in Jeddah', summary: 'A day of diplomacy' });
    const football = await story({ feed: 'wire', title: 'Jeddah hosts football final' });
    const bySummary = await story({ feed: 'wire', title: 'Drone attack on Moscow', summary: 'Kyiv strikes as Ukraine talks begin' });
    const shuffled = await story({ feed: 'wire', title: 'Arabia and Saudi words apart' });
    await story({ feed: 'wire', title: 'Markets rally' });
    expect(await members('talks')).toEqual([ukraine, jeddah, bySummary]);
    expect(await members('saudi')).toEqual([ukraine]);
    expect(await members('talks')).not.toContain(football);
    expect(await members('saudi')).not.toContain(shuffled);
  });

  it("recomputes a feed's stories when its tags change (refreshFeedMembership)", async () => {
    await topic({ slug: 'world', title: 'World', tags: ['world'] });
    const s = await story({ feed: 'wire', title: 'Wire story' });
    await db.pool.query(`UPDATE feeds SET tags = '{world}' WHERE id = $1`, [feeds.wire.feedId]);
    expect(await members('world')).toEqual([]);
    await withStoryWrite(db.pool, (tx) => refreshFeedMembership(tx, feeds.wire.feedId));
    expect(await members('world')).toEqual([s]);
  });

  it('ANDs tags, query and minSources; a story gaining a matching source joins', async () => {
    await topic({ slug: 'big-world', title: 'Big world', tags: ['world'], query: 'storm', minSources: 2 });
    const storm = await story({ feed: 'world', title: 'Storm hits the coast' });
    const other = await story({ feed: 'world', title: 'Election day' }, { feed: 'sport', title: 'Election day again' });
    expect(await members('big-world')).toEqual([]);
    await join(storm, { feed: 'tech', title: 'Storm knocks out power' });
    expect(await members('big-world')).toEqual([storm]);
    expect(await members('big-world')).not.toContain(other);
  });

  it('drops a story that loses its tagged feed, and every row of a deleted story', async () => {
    await topic({ slug: 'world', title: 'World', tags: ['world'] });
    await topic({ slug: 'any', title: 'Anything', query: 'coast OR summit' });
    const mixed = await story({ feed: 'world', title: 'Summit opens' }, { feed: 'sport', title: 'Summit opens, sport' });
    const only = await story({ feed: 'world', title: 'Storm hits the coast' });
    expect(await members('world')).toEqual([mixed, only]);
    expect(await removeFeed(db.pool, feeds.world.feedId)).toBe(true);
    expect(await members('world')).toEqual([]);
    // `mixed` kept its sport article (still matches the query); `only` had no article left and is gone.
    expect(await members('any')).toEqual([mixed]);
    await db.pool.query('DELETE FROM articles WHERE story_id = $1', [mixed]);
    await db.pool.query('DELETE FROM stories WHERE id = $1', [mixed]);
    expect(await members('any')).toEqual([]);
  });

  it('follows corrections: split and merge move membership with the articles', async () => {
    await topic({ slug: 'world', title: 'World', tags: ['world'] });
    const a = await story({ feed: 'sport', title: 'Final result' }, { feed: 'world', title: 'Unrelated world item' });
    const b = await story({ feed: 'tech', title: 'Chip news' });
    const worldArticle = (await db.pool.query<{ id: string }>('SELECT id::text FROM articles WHERE feed_id = $1', [feeds.world.feedId])).rows[0]?.id ?? '';
    const { created } = await splitStory(db.pool, a, [worldArticle]);
    expect(await members('world')).toEqual([created]);
    const { survivor } = await mergeStories(db.pool, [b, created]);
    expect(survivor).toBe(b);
    expect(await members('world')).toEqual([b]);
  });

  it('recomputes a changed topic in batches, and reads filter directly until it has', async () => {
    const ids: string[] = [];
    for (const word of ['alpha', 'beta', 'alpha', 'gamma', 'beta']) ids.push(await story({ feed: 'wire', title: `${word} news` }));
    await topic({ slug: 'greek', title: 'Greek', query: 'alpha' });
    expect(await members('greek')).toEqual([ids[0], ids[2]]);

    await upsertTopic(db.pool, { slug: 'greek', title: 'Greek', query: 'beta OR gamma' });
    const stale = await getTopic(db.pool, 'greek');
    expect(stale?.membershipReady).toBe(false);
    expect(await staleTopics(db.pool)).toEqual(['greek']);
    // Membership rows are still the old definition's, but a read is already right.
    expect(await members('greek')).toEqual([ids[0], ids[2]]);
    const read = stale ? await readTopicStories(db.pool, stale, { limit: 10 }) : [];
    expect(read.map((s) => s.id).sort()).toEqual([ids[1], ids[3], ids[4]]);

    expect(await recomputeTopic(db.pool, 'greek', { batchSize: 2 })).toBe(true);
    expect(await members('greek')).toEqual([ids[1], ids[3], ids[4]]);
    expect((await getTopic(db.pool, 'greek'))?.membershipReady).toBe(true);
    expect(await staleTopics(db.pool)).toEqual([]);
    // The same definition again changes nothing and needs no recompute.
    expect(await upsertTopic(db.pool, { slug: 'greek', title: 'Greek', query: 'beta OR gamma' })).toEqual({ created: false, changed: false });
    expect(await recomputeTopic(db.pool, 'nope')).toBe(false);
  });

  it('moves a topic revision only when its own stories change', async () => {
    await topic({ slug: 'world', title: 'World', tags: ['world'] });
    await topic({ slug: 'tech', title: 'Tech', tags: ['tech'] });
    const w = await story({ feed: 'world', title: 'World story' });
    const t = await story({ feed: 'tech', title: 'Tech story' });
    const [world0, tech0] = [await revision('world'), await revision('tech')];
    await join(w, { feed: 'sport', title: 'World story in sport' });
    expect(await revision('world')).not.toBe(world0);
    expect(await revision('tech')).toBe(tech0);
    await withStoryWrite(db.pool, (tx) => refreshTopicMembership(tx, [t]));
    expect(await revision('tech')).not.toBe(tech0);
  });

  it('pages a topic by (updated_at, id) through topic_stories', async () => {
    await topic({ slug: 'world', title: 'World', tags: ['world'] });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await story({ feed: 'world', title: `Item ${i} ${i % 2 ? 'odd' : 'even'}`, minutesAgo: 100 - i }));
    await story({ feed: 'sport', title: 'Item sport' });
    const first = await listTopicStories(db.pool, 'world', { limit: 2 });
    expect(first.map((s) => s.id)).toEqual([ids[4], ids[3]]);
    expect(first[0]?.sources.map((s) => s.title)).toEqual(['Item 4 even']);
    const last = first.at(-1);
    const next = await listTopicStories(db.pool, 'world', { limit: 10, after: last ? { updatedAt: last.updatedAt, id: last.id } : null });
    expect(next.map((s) => s.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await listTopicStories(db.pool, 'world', { limit: 10, query: 'odd' })).map((s) => s.id)).toEqual([ids[3], ids[1]]);
    expect(await listTopicStories(db.pool, 'world', { limit: 10, minSources: 2 })).toEqual([]);
  });

  it('reads a topic page through the topic_stories index, never articles or feeds', async () => {
    await topic({ slug: 'bulk', title: 'Bulk' });
    await db.pool.query(`
      INSERT INTO stories (title, first_seen_at, updated_at, source_count, article_count)
      SELECT 'story ' || g, now() - g * interval '1 minute', now() - g * interval '1 minute', 1 + g % 3, 1
      FROM generate_series(1, 20000) g`);
    await db.pool.query(`INSERT INTO topic_stories (topic, story_id, updated_at) SELECT 'bulk', id, updated_at FROM stories WHERE id % 4 = 0`);
    await db.pool.query('ANALYZE stories; ANALYZE topic_stories');
    const captured: { sql: string; params: unknown[] }[] = [];
    const spy = { query: async (sql: string, params: unknown[]) => (captured.push({ sql, params }), { rows: [] }) } as unknown as Queryable;
    await listTopicStories(spy, 'bulk', { limit: 50, minSources: 2, query: null });
    const [page] = captured;
    if (!page) throw new Error('no query captured');
    const plan = await db.pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${page.sql}`, page.params);
    const nodes: Record<string, unknown>[] = [];
    const walk = (node: Record<string, unknown>) => {
      nodes.push(node);
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(((plan.rows[0]?.['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0] as { Plan: Record<string, unknown> }).Plan);
    const text = JSON.stringify(nodes.map((n) => [n['Node Type'], n['Relation Name'], n['Index Name']]));
    expect(nodes.some((n) => n['Index Name'] === 'topic_stories_feed_idx'), text).toBe(true);
    expect(nodes.some((n) => n['Relation Name'] === 'articles' || n['Relation Name'] === 'feeds'), text).toBe(false);
    expect(nodes.some((n) => n['Node Type'] === 'Seq Scan'), text).toBe(false);
    expect(nodes.some((n) => n['Node Type'] === 'Sort'), text).toBe(false);
  });
});

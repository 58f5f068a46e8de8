import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStories, upsertTopic } from '@newsfold/db';
import { withStoryWrite } from '@newsfold/stories';
import { addToStory, createHarness, minutesAgo, PUBLIC_URL, seedFeed, seedOutlet, seedStory, type Harness } from './testdata/harness.js';

interface SourceJson {
  outlet: string;
  feedId: string;
  title: string;
  url: string | null;
  publishedAt: string | null;
  articleId?: string;
  match?: { score: number | null; reason: string | null };
}
interface StoryJson {
  id: string;
  title: string;
  summary: string | null;
  firstSeenAt: string;
  updatedAt: string;
  sourceCount: number;
  sources: SourceJson[];
}
interface Page {
  stories: StoryJson[];
  nextCursor: string | null;
}

describe('story API', () => {
  let h: Harness;
  const now = Date.now();
  const t = (minutes: number) => minutesAgo(minutes, now);
  let feeds: { world: string; sport: string; wire: string };
  let storm: { storyId: string; articleIds: string[] };
  /** The 25 "pagination" stories: groups of three share an updated_at, so only the id orders them. */
  const paged: { id: string; updatedAt: Date }[] = [];

  /** The ids of `first` and of every page after it, following nextCursor. */
  const pageOn = async (first: Page, query: string): Promise<string[]> => {
    const ids = first.stories.map((s) => s.id);
    for (let cursor = first.nextCursor; cursor !== null; ) {
      const body: Page = await page(`${query}&cursor=${cursor}`);
      ids.push(...body.stories.map((s) => s.id));
      cursor = body.nextCursor;
    }
    return ids;
  };
  const page = async (query: string): Promise<Page> => {
    const res = await h.request(`/api/v1/stories${query}`);
    expect(res.status, query).toBe(200);
    return (await res.json()) as Page;
  };

  beforeAll(async () => {
    h = await createHarness();
    const pool = h.db.pool;
    const alpha = await seedOutlet(pool, 'Alpha Gazette');
    const beta = await seedOutlet(pool, 'Beta Daily');
    const wire = await seedOutlet(pool, 'Wire Service');
    feeds = {
      world: await seedFeed(pool, 'https://alpha.example/world.xml', ['world']),
      sport: await seedFeed(pool, 'https://beta.example/sport.xml', ['sport']),
      wire: await seedFeed(pool, 'https://wire.example/all.xml'),
    };
    for (let i = 0; i < 25; i += 1) {
      const at = t(600 - Math.floor(i / 3) * 10);
      const { storyId } = await seedStory(pool, [
        { feedId: feeds.wire, outletId: wire, title: `Pagination item ${String(i).padStart(2, '0')}`, publishedAt: at },
      ]);
      paged.push({ id: storyId, updatedAt: at });
    }
    storm = await seedStory(pool, [
      {
        feedId: feeds.world,
        outletId: alpha,
        title: 'Storm Brennan floods the valley',
        summary: 'Heavy rain flooded the valley overnight.',
        url: 'https://alpha.example/news/storm',
        publishedAt: t(60),
      },
      { feedId: feeds.sport, outletId: beta, title: 'Brennan storm postpones match', url: 'https://beta.example/storm', publishedAt: t(30) },
    ]);
    await upsertTopic(pool, { slug: 'world', title: 'World', tags: ['world'] });
    await upsertTopic(pool, { slug: 'aardvark', title: 'Aardvarks', query: 'aardvark', description: 'Sorted before all' });
    await upsertTopic(pool, { slug: 'wide', title: 'Widely covered', minSources: 2 });
  });
  afterAll(async () => h?.close());

  it('returns stories in exactly the documented shape', async () => {
    const body = await page('?q=storm');
    expect(body).toEqual({
      stories: [
        {
          id: storm.storyId,
          title: 'Storm Brennan floods the valley',
          summary: 'Heavy rain flooded the valley overnight.',
          firstSeenAt: t(60).toISOString(),
          updatedAt: t(30).toISOString(),
          sourceCount: 2,
          sources: [
            { outlet: 'Alpha Gazette', feedId: feeds.world, title: 'Storm Brennan floods the valley', url: 'https://alpha.example/news/storm', publishedAt: t(60).toISOString() },
            { outlet: 'Beta Daily', feedId: feeds.sport, title: 'Brennan storm postpones match', url: 'https://beta.example/storm', publishedAt: t(30).toISOString() },
          ],
        },
      ],
      nextCursor: null,
    });
  });

  it('searches title and summary with q (full-text, web-search syntax)', async () => {
    const ids = async (q: string) => (await page(`?q=${encodeURIComponent(q)}`)).stories.map((s) => s.id);
    expect(await ids('flooded')).toEqual([storm.storyId]);
    expect(await ids('"heavy rain"')).toEqual([storm.storyId]);
    expect(await ids('"rain heavy"')).toEqual([]);
    expect(await ids('storm -valley')).toEqual([]);
    expect(await ids('STORM')).toEqual([storm.storyId]);
    expect(await ids('zeppelin')).toEqual([]);
    expect(await ids('pagination 07')).toEqual([paged[7]?.id]);
    expect(await ids('pagination OR storm')).toHaveLength(26);
    // Operators and quotes that do not parse cleanly are still not an error.
    expect((await h.request(`/api/v1/stories?q=${encodeURIComponent('"unbalanced ( & | ! :*')}`)).status).toBe(200);
  });

  it('filters by since (inclusive) and until (exclusive) on the last activity', async () => {
    const since = t(600 - 70).toISOString(); // group 7: items 21, 22, 23
    const until = t(600 - 80).toISOString(); // group 8: item 24
    const got = await page(`?q=pagination&since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`);
    expect(got.stories.map((s) => s.id)).toEqual([paged[23]?.id, paged[22]?.id, paged[21]?.id]);
    for (const s of got.stories) expect(s.updatedAt).toBe(since);
    const recent = await page(`?since=${encodeURIComponent(t(45).toISOString())}`);
    expect(recent.stories.map((s) => s.id)).toEqual([storm.storyId]);
    expect((await page(`?until=${encodeURIComponent(t(601).toISOString())}`)).stories).toEqual([]);
  });

  it('filters by topic (tags and the topic minimum) and min_sources', async () => {
    expect((await page('?topic=world')).stories.map((s) => s.id)).toEqual([storm.storyId]);
    expect((await page('?topic=wide')).stories.map((s) => s.id)).toEqual([storm.storyId]);
    expect((await page('?topic=wide&min_sources=1&limit=200')).stories).toHaveLength(26);
    expect((await page('?topic=all&limit=200')).stories).toHaveLength(26);
    expect((await page('?min_sources=2')).stories.map((s) => s.id)).toEqual([storm.storyId]);
    expect((await page('?min_sources=3')).stories).toEqual([]);
  });

  it('pages through every story with keyset cursors: newest first, ties by id, no duplicates, no gaps', async () => {
    const expected = [...paged]
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || Number(BigInt(b.id) - BigInt(a.id)))
      .map((s) => s.id);
    const { rows } = await h.db.pool.query<{ id: string }>(
      "SELECT id::text FROM stories WHERE title LIKE 'Pagination%' ORDER BY updated_at DESC, id DESC",
    );
    expect(rows.map((r) => r.id)).toEqual(expected);

    for (const limit of [1, 3, 4, 5, 7, 25]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const body: Page = await page(`?q=pagination&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(body.stories.length, `limit ${limit}`).toBeLessThanOrEqual(limit);
        seen.push(...body.stories.map((s) => s.id));
        cursor = body.nextCursor;
        pages += 1;
        expect(pages, `limit ${limit}`).toBeLessThanOrEqual(26);
      } while (cursor !== null);
      expect(seen, `limit ${limit}`).toEqual(expected);
      // A full last page still offers a cursor, which leads to an empty page.
      expect(pages, `limit ${limit}`).toBe(Math.floor(25 / limit) + 1);
    }
  });

  it('keeps pages stable when a new story arrives between two requests', async () => {
    const first = await page('?q=pagination&limit=10');
    const { storyId: fresh } = await seedStory(h.db.pool, [
      { feedId: feeds.wire, outletId: (await h.db.pool.query<{ id: string }>("SELECT id::text FROM outlets WHERE name = 'Wire Service'")).rows[0]?.id ?? '', title: 'Pagination item late', publishedAt: new Date() },
    ]);
    try {
      const all = await pageOn(first, '?q=pagination&limit=10');
      expect(all).not.toContain(fresh);
      expect(new Set(all).size).toBe(25);
      expect(new Set(all)).toEqual(new Set(paged.map((p) => p.id)));
    } finally {
      await h.db.pool.query('UPDATE articles SET story_id = NULL WHERE story_id = $1', [fresh]);
      await h.db.pool.query('DELETE FROM stories WHERE id = $1', [fresh]);
    }
  });

  it('neither repeats nor skips a story when stories already listed, or still to come, gain a source mid-way', async () => {
    const order = [...paged].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || Number(b.id) - Number(a.id)).map((p) => p.id);
    const first = await page('?q=pagination&limit=10');
    expect(first.stories.map((s) => s.id)).toEqual(order.slice(0, 10));
    const alpha = (await h.db.pool.query<{ id: string }>("SELECT id::text FROM outlets WHERE name = 'Alpha Gazette'")).rows[0]?.id ?? '';
    // One story already seen and one still to come get a new outlet now: both move to the top.
    const seenMoved = order[3] ?? '';
    const laterMoved = order[17] ?? '';
    const added: string[] = [];
    for (const storyId of [seenMoved, laterMoved]) {
      added.push(await addToStory(h.db.pool, storyId, { feedId: feeds.world, outletId: alpha, title: 'Pagination follow-up', publishedAt: new Date() }));
    }
    try {
      const all = await pageOn(first, '?q=pagination&limit=10');
      expect(new Set(all).size, 'no story twice').toBe(all.length);
      // Every story that did not move is listed once, in order; the one that moved ahead of the
      // cursor is not listed again lower down: a reader finds it at the top of its next read.
      expect(all.filter((id) => id !== laterMoved)).toEqual(order.filter((id) => id !== laterMoved));
      expect((await page('?q=pagination&limit=2')).stories.map((s) => s.id).sort()).toEqual([seenMoved, laterMoved].sort());
    } finally {
      await withStoryWrite(h.db.pool, async (tx) => {
        await tx.query('DELETE FROM articles WHERE id = ANY($1::bigint[])', [added]);
        await refreshStories(tx, [seenMoved, laterMoved]);
      });
    }
  });

  it('answers a repeated query with its ETag by 304, and a changed one with the change', async () => {
    const path = '/api/v1/stories?topic=all&q=pagination&limit=5';
    const first = await h.request(path);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    const ids = ((await first.json()) as Page).stories.map((s) => s.id);
    expect((await h.request(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // Another page of the same query is another representation.
    const other = await h.request('/api/v1/stories?topic=all&q=pagination&limit=4');
    expect(other.headers.get('etag')).not.toBe(etag);

    const outlet = (await h.db.pool.query<{ id: string }>("SELECT id::text FROM outlets WHERE name = 'Wire Service'")).rows[0]?.id ?? '';
    const { storyId: fresh } = await seedStory(h.db.pool, [{ feedId: feeds.wire, outletId: outlet, title: 'Pagination item newest', publishedAt: new Date() }]);
    try {
      for (const query of [path, '/api/v1/stories?q=pagination&limit=5']) {
        const res = await h.request(query, { headers: { 'if-none-match': etag } });
        expect(res.status, query).toBe(200);
        expect(res.headers.get('etag'), query).not.toBe(etag);
        const now = ((await res.json()) as Page).stories.map((s) => s.id);
        expect(now, query).toEqual([fresh, ...ids.slice(0, 4)]);
      }
    } finally {
      await h.db.pool.query('UPDATE articles SET story_id = NULL WHERE story_id = $1', [fresh]);
      await h.db.pool.query('DELETE FROM stories WHERE id = $1', [fresh]);
    }
    // Without the new story, the first answer is current again.
    expect((await page('?topic=all&q=pagination&limit=5')).stories.map((s) => s.id)).toEqual(ids);
  });

  it('returns one story with why each source joined', async () => {
    const res = await h.request(`/api/v1/stories/${storm.storyId}`);
    expect(res.status).toBe(200);
    const story = (await res.json()) as StoryJson;
    expect(story).toMatchObject({ id: storm.storyId, title: 'Storm Brennan floods the valley', sourceCount: 2 });
    expect(story.sources).toEqual([
      expect.objectContaining({ outlet: 'Alpha Gazette', articleId: storm.articleIds[0], match: { score: 1, reason: 'new story' } }),
      expect.objectContaining({ outlet: 'Beta Daily', articleId: storm.articleIds[1], match: { score: expect.closeTo(0.8, 5), reason: 'similar title' } }),
    ]);
    for (const s of story.sources) {
      expect(Object.keys(s).sort()).toEqual(['articleId', 'feedId', 'match', 'outlet', 'publishedAt', 'title', 'url']);
    }
    // The list omits the match details.
    const listed = (await page('?q=storm')).stories[0];
    expect(listed?.sources[0]).not.toHaveProperty('match');
  });

  it('lists topics, all first, with absolute feed URLs from PUBLIC_URL', async () => {
    const res = await h.request('/api/v1/topics');
    expect(res.status).toBe(200);
    const { topics } = (await res.json()) as { topics: { slug: string; feeds: Record<string, string>; minSources: number }[] };
    expect(topics.map((tp) => tp.slug)).toEqual(['all', 'aardvark', 'wide', 'world']);
    expect(topics[0]?.feeds).toEqual({
      rss: `${PUBLIC_URL}/topics/all/rss.xml`,
      atom: `${PUBLIC_URL}/topics/all/atom.xml`,
      json: `${PUBLIC_URL}/topics/all/feed.json`,
    });
    expect(topics[1]).toEqual({
      slug: 'aardvark',
      title: 'Aardvarks',
      description: 'Sorted before all',
      query: 'aardvark',
      tags: [],
      minSources: 1,
      feeds: expect.objectContaining({ rss: `${PUBLIC_URL}/topics/aardvark/rss.xml` }),
    });
    expect(topics.find((tp) => tp.slug === 'wide')?.minSources).toBe(2);
    // Every advertised feed URL is served by this app.
    for (const topic of topics) {
      for (const url of Object.values(topic.feeds)) {
        expect((await h.request(url.slice(PUBLIC_URL.length))).status, url).toBe(200);
      }
    }
  });

  it('sends CORS and secure headers on the public story API', async () => {
    for (const path of ['/api/v1/stories', `/api/v1/stories/${storm.storyId}`, '/api/v1/topics', '/api/v1/stories/999999']) {
      const res = await h.request(path, { headers: { origin: 'https://reader.example' } });
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});

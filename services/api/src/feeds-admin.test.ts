import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, minutesAgo, seedFeed, seedOutlet, seedArticle, seedStory, type Harness } from './testdata/harness.js';

interface FeedJson {
  id: string;
  url: string;
  title: string | null;
  siteUrl: string | null;
  tags: string[];
  enabled: boolean;
  disabledReason: string | null;
  state: {
    lastStatus: number | null;
    lastErrorCode: string | null;
    lastError: string | null;
    errorCount: number;
    lastFetchedAt: string | null;
    lastSuccessAt: string | null;
    nextFetchAt: string;
  };
  createdAt: string;
}

interface StoryJson {
  id: string;
  title: string;
  firstSeenAt: string;
  sourceCount: number;
  sources: { outlet: string; feedId: string; title: string }[];
}

describe('admin feed API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('subscribes with POST, normalises tags, and enqueues a fetch job for the new feed at once', async () => {
    const res = await h.admin('/api/v1/feeds', {
      method: 'POST',
      body: JSON.stringify({ url: 'https://Post.Example/rss.xml', tags: [' World ', 'tech', 'world'] }),
    });
    expect(res.status).toBe(201);
    const feed = (await res.json()) as FeedJson;
    expect(feed).toEqual({
      id: expect.stringMatching(/^\d+$/),
      url: 'https://post.example/rss.xml',
      title: null,
      siteUrl: null,
      tags: ['tech', 'world'],
      enabled: true,
      disabledReason: null,
      state: {
        lastStatus: null,
        lastErrorCode: null,
        lastError: null,
        errorCount: 0,
        lastFetchedAt: null,
        lastSuccessAt: null,
        nextFetchAt: expect.any(String),
      },
      createdAt: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(`/api/v1/feeds/${feed.id}`);

    const job = await h.queues.fetch.getJob(`feed-${feed.id}`);
    expect(job?.data).toEqual({ feedId: feed.id });
    expect(job?.name).toBe('fetch');
    const { rows } = await h.db.pool.query<{ url: string; tags: string[] }>('SELECT url, tags FROM feeds WHERE id = $1', [feed.id]);
    expect(rows[0]).toEqual({ url: 'https://post.example/rss.xml', tags: ['tech', 'world'] });

    // Listed and readable one by one.
    const list = (await (await h.admin('/api/v1/feeds')).json()) as { feeds: FeedJson[] };
    expect(list.feeds.map((f) => f.id)).toContain(feed.id);
    const one = await h.admin(`/api/v1/feeds/${feed.id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(feed);
  });

  it('lists feeds in subscription order, 2 before 10', async () => {
    for (let i = 0; i < 11; i++) await seedFeed(h.db.pool, `https://order-${i}.example/feed.xml`);
    const list = (await (await h.admin('/api/v1/feeds')).json()) as { feeds: FeedJson[] };
    const ids = list.feeds.map((f) => Number(f.id));
    expect(ids.length).toBeGreaterThanOrEqual(11);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('refresh makes the feed due and queues it again', async () => {
    const id = await seedFeed(h.db.pool, 'https://refresh.example/feed.xml');
    await h.db.pool.query("UPDATE feeds SET next_fetch_at = now() + interval '6 hours' WHERE id = $1", [id]);
    expect(await h.queues.fetch.getJob(`feed-${id}`)).toBeUndefined();

    const res = await h.admin(`/api/v1/feeds/${id}/refresh`, { method: 'POST' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { status: string; feed: FeedJson };
    expect(body.status).toBe('queued');
    expect(body.feed.id).toBe(id);
    expect((await h.queues.fetch.getJob(`feed-${id}`))?.data).toEqual({ feedId: id });
    const { rows } = await h.db.pool.query<{ due: boolean }>('SELECT next_fetch_at <= now() AS due FROM feeds WHERE id = $1', [id]);
    expect(rows[0]?.due).toBe(true);
  });

  it('DELETE removes the feed and its articles, and recomputes or deletes the stories they were in', async () => {
    const pool = h.db.pool;
    const alpha = await seedOutlet(pool, 'Alpha Gazette');
    const beta = await seedOutlet(pool, 'Beta Daily');
    const fAlpha = await seedFeed(pool, 'https://alpha.example/world.xml', ['world']);
    const fBeta = await seedFeed(pool, 'https://beta.example/feed.xml', ['world']);
    const t0 = minutesAgo(120);
    const t1 = minutesAgo(90);
    // Shared story: Alpha reported first (so leads it), Beta joined later.
    const shared = await seedStory(pool, [
      { feedId: fAlpha, outletId: alpha, title: 'Harbour bridge closes after crash', publishedAt: t0, summary: 'Alpha summary' },
      { feedId: fBeta, outletId: beta, title: 'Crash shuts harbour bridge', publishedAt: t1, summary: 'Beta summary' },
    ]);
    // Alpha alone, and an article not yet in any story.
    const alphaOnly = await seedStory(pool, [{ feedId: fAlpha, outletId: alpha, title: 'Alpha exclusive', publishedAt: t1 }]);
    await seedArticle(pool, { feedId: fAlpha, outletId: alpha, title: 'Unassigned', publishedAt: t1 });
    // Beta alone: must not be touched.
    const betaOnly = await seedStory(pool, [{ feedId: fBeta, outletId: beta, title: 'Beta exclusive', publishedAt: t0 }]);

    const before = (await (await h.request(`/api/v1/stories/${shared.storyId}`)).json()) as StoryJson;
    expect(before.sourceCount).toBe(2);
    expect(before.title).toBe('Harbour bridge closes after crash');

    const del = await h.admin(`/api/v1/feeds/${fAlpha}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    expect((await h.admin(`/api/v1/feeds/${fAlpha}`)).status).toBe(404);
    const articles = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE feed_id = $1', [fAlpha]);
    expect(articles.rows[0]?.n).toBe(0);

    const after = (await (await h.request(`/api/v1/stories/${shared.storyId}`)).json()) as StoryJson;
    expect(after.sourceCount).toBe(1);
    expect(after.sources.map((s) => s.feedId)).toEqual([fBeta]);
    // The lead moved to the remaining article: its headline, its time.
    expect(after.title).toBe('Crash shuts harbour bridge');
    expect(after.firstSeenAt).toBe(t1.toISOString());
    const row = await pool.query<{ articles: number; lead: string | null }>(
      'SELECT article_count AS articles, lead_article_id::text AS lead FROM stories WHERE id = $1',
      [shared.storyId],
    );
    expect(row.rows[0]).toEqual({ articles: 1, lead: shared.articleIds[1] });

    expect((await h.request(`/api/v1/stories/${alphaOnly.storyId}`)).status).toBe(404);
    expect((await h.request(`/api/v1/stories/${betaOnly.storyId}`)).status).toBe(200);

    // Deleting the second feed leaves nothing of either story.
    expect((await h.admin(`/api/v1/feeds/${fBeta}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.request(`/api/v1/stories/${shared.storyId}`)).status).toBe(404);
    expect((await h.request(`/api/v1/stories/${betaOnly.storyId}`)).status).toBe(404);
    const left = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stories WHERE id = ANY($1::bigint[])', [
      [shared.storyId, alphaOnly.storyId, betaOnly.storyId],
    ]);
    expect(left.rows[0]?.n).toBe(0);
    const page = (await (await h.request('/api/v1/stories?limit=200')).json()) as { stories: StoryJson[] };
    expect(page.stories.filter((s) => [fAlpha, fBeta].some((f) => s.sources.some((x) => x.feedId === f)))).toEqual([]);

    // A second DELETE is a 404, not a 500.
    expect((await h.admin(`/api/v1/feeds/${fBeta}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('DELETE keeps a story whose other source is a second feed of the same outlet, counting one outlet', async () => {
    const pool = h.db.pool;
    const gamma = await seedOutlet(pool, 'Gamma News');
    const delta = await seedOutlet(pool, 'Delta Post');
    const gWorld = await seedFeed(pool, 'https://gamma.example/world.xml');
    const gTop = await seedFeed(pool, 'https://gamma.example/top.xml');
    const dFeed = await seedFeed(pool, 'https://delta.example/feed.xml');
    const gammaFirst = minutesAgo(50);
    const story = await seedStory(pool, [
      { feedId: gWorld, outletId: gamma, title: 'Rates held steady', publishedAt: gammaFirst },
      { feedId: gTop, outletId: gamma, title: 'Central bank holds rates', publishedAt: minutesAgo(45) },
      { feedId: dFeed, outletId: delta, title: 'Rates unchanged', publishedAt: minutesAgo(40) },
    ]);
    expect(((await (await h.request(`/api/v1/stories/${story.storyId}`)).json()) as StoryJson).sourceCount).toBe(2);
    expect((await h.admin(`/api/v1/feeds/${dFeed}`, { method: 'DELETE' })).status).toBe(204);
    const after = (await (await h.request(`/api/v1/stories/${story.storyId}`)).json()) as StoryJson;
    expect(after.sourceCount).toBe(1);
    expect(after.sources.map((s) => s.outlet)).toEqual(['Gamma News', 'Gamma News']);
    // updated_at is when the last outlet joined: Gamma, at its first article.
    const { rows } = await pool.query<{ updated: Date }>('SELECT updated_at AS updated FROM stories WHERE id = $1', [story.storyId]);
    expect(rows[0]?.updated.toISOString()).toBe(gammaFirst.toISOString());
  });
});

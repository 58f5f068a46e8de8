import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { articleInput, createTestDatabase, type TestDatabase } from '@newsfold/testing';
import {
  assignArticle,
  countTopicStories,
  createStory,
  ensureOutlet,
  getFeed,
  getStory,
  insertFeed,
  recordFetchSuccess,
  refreshStories,
  setFeedOrigin,
  updateFeed,
  upsertArticles,
  upsertTopic,
} from '@newsfold/db';
import { removeFeed } from './feeds.js';
import { withStoryWrite } from './story-write.js';
import { recomputeTopic } from './topic-membership.js';

const entry = (guid: string, url: string | null) => articleInput(guid, { url });

describe('removeFeed', () => {
  let db: TestDatabase;
  const later = () => new Date(Date.now() + 6 * 3_600_000);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query('TRUNCATE articles, stories, feeds, outlets RESTART IDENTITY CASCADE');
  });

  /** A subscribed feed of an outlet, fetched once: it holds validators and is not due for hours. */
  async function fetchedFeed(url: string, outletId: string): Promise<{ feedId: string; outletId: string }> {
    const { feed } = await insertFeed(db.pool, { url });
    await setFeedOrigin(db.pool, feed.id, { outletId, title: null, siteUrl: null });
    await recordFetchSuccess(db.pool, feed.id, {
      status: 200,
      etag: `"${feed.id}"`,
      lastModified: 'Fri, 20 Nov 2026 10:00:00 GMT',
      bodyHash: `body-${feed.id}`,
      nextFetchAt: later(),
    });
    return { feedId: feed.id, outletId };
  }
  async function outlet(site: string) {
    return ensureOutlet(db.pool, { siteKey: site, name: site, siteUrl: null });
  }

  it('hands an article another feed also carries over to that feed, whatever its outlet, so its story keeps it', async () => {
    const alpha = await outlet('alpha.example');
    const aggreg = await outlet('aggreg.example');
    const a = await fetchedFeed('https://alpha.example/feed.xml', alpha);
    const picks = await fetchedFeed('https://aggreg.example/picks.xml', aggreg);
    const url = 'https://alpha.example/news/1';
    const [stored] = await upsertArticles(db.pool, a, [entry('a-1', url)]);
    const [carried] = await upsertArticles(db.pool, picks, [entry('p-1', url)]);
    expect(carried).toMatchObject({ id: stored?.id, newlyCarried: true });
    const picksBefore = await getFeed(db.pool, picks.feedId);

    expect(await removeFeed(db.pool, a.feedId)).toBe(true);
    const { rows } = await db.pool.query('SELECT id::text, feed_id::text AS "feedId", url FROM articles');
    expect(rows).toEqual([{ id: stored?.id, feedId: picks.feedId, url }]);
    // Nothing to bring back: the aggregator's feed keeps its validators.
    expect(await getFeed(db.pool, picks.feedId)).toEqual(picksBefore);
  });

  it("takes a story out of a removed feed's topics when that feed only carried its article", async () => {
    const alpha = await outlet('alpha.example');
    const a = await fetchedFeed('https://alpha.example/feed.xml', alpha);
    const world = await fetchedFeed('https://alpha.example/world.xml', alpha);
    await updateFeed(db.pool, world.feedId, { tags: ['world'] });
    const [stored] = await upsertArticles(db.pool, a, [entry('a-1', 'https://alpha.example/news/1')]);
    await upsertArticles(db.pool, world, [entry('w-1', 'https://alpha.example/news/1')]);
    const storyId = await withStoryWrite(db.pool, async (tx) => {
      const id = await createStory(tx, { articleId: stored?.id ?? '', title: 'One', eventAt: new Date() });
      await assignArticle(tx, stored?.id ?? '', { storyId: id, score: 1, reason: 'new-story' });
      await refreshStories(tx, [id]);
      return id;
    });
    await upsertTopic(db.pool, { slug: 'world', title: 'World', tags: ['world'] });
    await recomputeTopic(db.pool, 'world');
    expect(await countTopicStories(db.pool, 'world')).toBe(1);

    expect(await removeFeed(db.pool, world.feedId)).toBe(true);
    expect(await countTopicStories(db.pool, 'world')).toBe(0);
    expect(await getStory(db.pool, storyId)).toMatchObject({ sourceCount: 1 });
  });

  it('does not hand an article over to a feed that has another under the same guid', async () => {
    const alpha = await outlet('alpha.example');
    const a = await fetchedFeed('https://alpha.example/top.xml', alpha);
    const b = await fetchedFeed('https://alpha.example/world.xml', alpha);
    const [shared] = await upsertArticles(db.pool, a, [entry('42', 'https://alpha.example/news/shared')]);
    await upsertArticles(db.pool, b, [entry('b-7', 'https://alpha.example/news/shared'), entry('42', 'https://alpha.example/news/other')]);
    expect(await removeFeed(db.pool, a.feedId)).toBe(true);
    const { rows } = await db.pool.query<{ id: string }>('SELECT id::text FROM articles WHERE id = $1', [shared?.id]);
    expect(rows).toEqual([]);
  });

});

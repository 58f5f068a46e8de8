import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignArticle, createStory, ensureOutlet, getTopic, insertFeed, refreshStories, upsertArticles } from '@newsfold/db';
import { withStoryWrite } from '@newsfold/stories';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import type { Runtime } from '../runtime.js';
import { topicsRemove, topicsSet } from './topics.js';

describe('topics set / remove', () => {
  let db: TestDatabase;
  let rt: Runtime;
  beforeAll(async () => {
    db = await createTestDatabase();
    // The commands use only the pool and the public URL.
    rt = { pool: db.pool, config: { publicUrl: 'https://news.example' } } as unknown as Runtime;
    const feedId = (await insertFeed(db.pool, { url: 'https://w.example/feed.xml', tags: ['world'] })).feed.id;
    const outletId = await ensureOutlet(db.pool, { siteKey: 'w.example', name: 'W', siteUrl: null });
    for (const title of ['Storm hits the coast', 'Markets rally']) {
      const [row] = await upsertArticles(db.pool, { feedId, outletId }, [
        { guid: title, url: null, title, titleKey: title.toLowerCase(), summary: null, contentHtml: null, author: null, publishedAt: new Date(), contentHash: title },
      ]);
      if (!row) throw new Error('article not stored');
      await withStoryWrite(db.pool, async (tx) => {
        const storyId = await createStory(tx, { articleId: row.id, title, eventAt: new Date() });
        await assignArticle(tx, row.id, { storyId, score: 1, reason: 'new-story' });
        await refreshStories(tx, [storyId]);
      });
    }
  });
  afterAll(() => db.drop());

  it('creates a topic with its membership computed before returning', async () => {
    expect(await topicsSet(rt, 'storms', { query: 'storm', tags: ['world'] })).toBe('topic storms (1 story): https://news.example/topics/storms/rss.xml');
    expect((await getTopic(db.pool, 'storms'))?.membershipReady).toBe(true);
    expect(await topicsSet(rt, 'storms', { query: 'storm OR markets', tags: [] })).toContain('(2 stories)');
  });

  it('changes what is given and keeps what is not; an empty value clears a field', async () => {
    await topicsSet(rt, 'weather', { query: 'storm', tags: ['world'], title: 'Weather desk', description: 'Storms and floods', minSources: '2' });
    expect(await getTopic(db.pool, 'weather')).toMatchObject({ title: 'Weather desk', description: 'Storms and floods', query: 'storm', tags: ['world'], minSources: 2 });
    // `set weather --query flood`: the tags, the minimum, the title and description stay.
    await topicsSet(rt, 'weather', { query: 'flood' });
    expect(await getTopic(db.pool, 'weather')).toMatchObject({ title: 'Weather desk', description: 'Storms and floods', query: 'flood', tags: ['world'], minSources: 2 });
    await topicsSet(rt, 'weather', { tags: ['world', ' europe '], minSources: '1' });
    expect(await getTopic(db.pool, 'weather')).toMatchObject({ query: 'flood', tags: ['europe', 'world'], minSources: 1 });
    await topicsSet(rt, 'weather', { query: '', tags: [''], description: '' });
    expect(await getTopic(db.pool, 'weather')).toMatchObject({ title: 'Weather desk', description: null, query: null, tags: [], minSources: 1 });
    // An empty title goes back to the one made from the slug.
    await topicsSet(rt, 'weather', { title: '' });
    expect(await getTopic(db.pool, 'weather')).toMatchObject({ title: 'Weather' });
    expect(await getTopic(db.pool, 'new-desk')).toBeNull();
    await topicsSet(rt, 'new-desk', { minSources: '2' });
    expect(await getTopic(db.pool, 'new-desk')).toMatchObject({ title: 'New desk', description: null, query: null, tags: [], minSources: 2 });
  });

  it('refuses a bad minimum, tag or slug as a usage error, changing nothing', async () => {
    await topicsSet(rt, 'quakes', { query: 'earthquake', tags: ['world'] });
    for (const minSources of ['abc', '0', '1.5', '1001']) {
      await expect(topicsSet(rt, 'quakes', { minSources })).rejects.toMatchObject({ code: 'invalid_min_sources', exitCode: 2 });
    }
    await expect(topicsSet(rt, 'quakes', { tags: ['a\u0000b'] })).rejects.toMatchObject({ code: 'invalid_tag', exitCode: 2 });
    await expect(topicsSet(rt, 'Big Quakes', { query: 'earthquake' })).rejects.toMatchObject({ code: 'invalid_slug', exitCode: 2 });
    await expect(topicsSet(rt, 'quakes', { tags: ['x'.repeat(65)] })).rejects.toMatchObject({ code: 'invalid_tag', exitCode: 2 });
    expect(await getTopic(db.pool, 'quakes')).toMatchObject({ query: 'earthquake', tags: ['world'], minSources: 1 });
  });

  it('keeps a title set through the API while it ran, not the one read before', async () => {
    await topicsSet(rt, 'markets', { query: 'markets', tags: [], title: 'Markets' });
    const api = await db.pool.connect();
    try {
      // An API edit in flight: the row is changed, not yet committed.
      await api.query('BEGIN');
      await api.query("UPDATE topics SET title = 'Markets and money' WHERE slug = 'markets'");
      const setting = topicsSet(rt, 'markets', { query: 'markets OR rally', tags: [] });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await api.query('COMMIT');
      await setting;
    } finally {
      api.release();
    }
    expect(await getTopic(db.pool, 'markets')).toMatchObject({ title: 'Markets and money', query: 'markets OR rally' });
  });

  it('refuses the built-in topic, a query with nothing to search, and removes a topic', async () => {
    await expect(topicsSet(rt, 'all', { tags: [] })).rejects.toMatchObject({ code: 'topic_built_in' });
    await expect(topicsSet(rt, 'x', { query: '!!!', tags: [] })).rejects.toMatchObject({ code: 'invalid_query' });
    await expect(topicsRemove(rt, 'all')).rejects.toMatchObject({ code: 'topic_built_in' });
    expect(await topicsRemove(rt, 'storms')).toBe('removed topic storms');
    await expect(topicsRemove(rt, 'storms')).rejects.toMatchObject({ code: 'topic_not_found' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { assignArticle, upsertArticles } from './articles.js';
import { moveStoryArticles, storyAlias } from './clustering.js';
import { insertFeed } from './feeds.js';
import { ensureOutlet } from './outlets.js';
import { createStory, getStory, refreshStories } from './stories.js';
import { withStoriesLocked } from '../story-lock.js';

describe('story aliases', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function story(guid: string): Promise<string> {
    const feedId = (await insertFeed(db.pool, { url: `https://${guid}.example/feed.xml` })).feed.id;
    const outletId = await ensureOutlet(db.pool, { siteKey: `${guid}.example`, name: guid, siteUrl: null });
    const [row] = await upsertArticles(db.pool, { feedId, outletId }, [articleInput(guid)]);
    if (!row) throw new Error('no article');
    return withStoriesLocked(db.pool, async (tx) => {
      const id = await createStory(tx, { articleId: row.id, title: guid, eventAt: new Date() });
      await assignArticle(tx, row.id, { storyId: id, score: 1, reason: 'new-story' });
      await refreshStories(tx, [id]);
      return id;
    });
  }

  it('leads a merged story to the one that absorbed it, through later merges too, and end with it', async () => {
    const [a, b, c] = [await story('a'), await story('b'), await story('c')];
    expect(await storyAlias(db.pool, a)).toBeNull();
    await withStoriesLocked(db.pool, async (tx) => {
      await moveStoryArticles(tx, a, b, 'merged: 0.40', 0.4);
      await refreshStories(tx, [a, b]);
    });
    expect(await getStory(db.pool, a)).toBeNull();
    expect(await storyAlias(db.pool, a)).toBe(b);
    await withStoriesLocked(db.pool, async (tx) => {
      await moveStoryArticles(tx, b, c, 'manual-merge', 1);
      await refreshStories(tx, [b, c]);
    });
    expect(await storyAlias(db.pool, a)).toBe(c);
    expect(await storyAlias(db.pool, b)).toBe(c);
    // The story they lead to is deleted (its last feed removed): the aliases go with it.
    await withStoriesLocked(db.pool, async (tx) => {
      await tx.query('DELETE FROM articles WHERE story_id = $1', [c]);
      await refreshStories(tx, [c]);
    });
    expect(await storyAlias(db.pool, a)).toBeNull();
    expect(await storyAlias(db.pool, 'not-an-id')).toBeNull();
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { assignArticle, upsertArticles } from './articles.js';
import { insertFeed } from './feeds.js';
import { ensureOutlet } from './outlets.js';
import { createStory, latestStoryRevision, refreshStories } from './stories.js';
import { withStoriesLocked } from '../story-lock.js';

/**
 * The revision that validates every read of all stories (`max(revised_at)`: the topic `all` and
 * story queries) against concurrent writers, on a real Postgres.
 */
describe('the all-stories revision', () => {
  let db: TestDatabase;
  const stories: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const feed = { feedId: (await insertFeed(db.pool, { url: 'https://a.example/feed.xml' })).feed.id, outletId: await ensureOutlet(db.pool, { siteKey: 'a.example', name: 'A', siteUrl: null }) };
    for (const title of ['Harbour bridge reopens', 'Bank holds rates']) {
      const [row] = await upsertArticles(db.pool, feed, [
        { guid: title, url: `https://a.example/${stories.length}`, title, titleKey: title.toLowerCase(), summary: null, contentHtml: null, author: null, publishedAt: new Date(), contentHash: title },
      ]);
      if (!row) throw new Error('article not stored');
      stories.push(
        await withStoriesLocked(db.pool, async (tx) => {
          const id = await createStory(tx, { articleId: row.id, title, eventAt: new Date() });
          await assignArticle(tx, row.id, { storyId: id, score: 1, reason: 'new-story' });
          return id;
        }),
      );
    }
  });
  afterAll(() => db?.drop());

  it('moves at every commit: a second story write stamps only after the first commits', async () => {
    const [a = '', b = ''] = stories;
    const revision = async () => (await latestStoryRevision(db.pool)).revision;
    const before = await revision();
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let stamped = false;
    // The first write stamps, then holds its transaction open.
    const first = withStoriesLocked(db.pool, async (tx) => {
      await refreshStories(tx, [a]);
      await held;
    });
    await sleep(100);
    const second = withStoriesLocked(db.pool, async (tx) => {
      await refreshStories(tx, [b]);
      stamped = true;
    });
    // Had it stamped before the first committed, the later stamp committing first would leave the
    // maximum where a client holding the old ETag never sees the first change.
    await sleep(300);
    expect(stamped, 'the second write waits for the first').toBe(false);
    release();
    await first;
    const afterFirst = await revision();
    await second;
    const afterSecond = await revision();
    expect(afterFirst, 'after the first commit').not.toBe(before);
    expect(afterSecond, 'after the second commit').not.toBe(afterFirst);
  });
});

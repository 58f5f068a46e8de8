import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { assignArticle, upsertArticles } from './articles.js';
import { insertFeed } from './feeds.js';
import { ensureOutlet } from './outlets.js';
import { createStory, latestStoryRevision, refreshStories } from './stories.js';

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
      const id = await createStory(db.pool, { articleId: row.id, title, eventAt: new Date() });
      await assignArticle(db.pool, row.id, { storyId: id, score: 1, reason: 'new-story' });
      stories.push(id);
    }
  });
  afterAll(() => db?.drop());

  it('moves at every commit, whatever order two writers stamp and commit in', async () => {
    const [a = '', b = ''] = stories;
    const revision = async () => (await latestStoryRevision(db.pool)).revision;
    const before = await revision();
    const first = await db.pool.connect();
    const second = await db.pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      await refreshStories(first, [a]);
      const stamping = refreshStories(second, [b]);
      const raced = await Promise.race([stamping.then(() => 'stamped' as const), sleep(300).then(() => 'waiting' as const)]);
      const seen: (string | null)[] = [];
      if (raced === 'stamped') {
        // Both stamped: the later stamp commits first, the order that hid the earlier one's change.
        await second.query('COMMIT');
        seen.push(await revision());
        await first.query('COMMIT');
        seen.push(await revision());
      } else {
        await first.query('COMMIT');
        seen.push(await revision());
        await stamping;
        await second.query('COMMIT');
        seen.push(await revision());
      }
      expect(seen[0], 'after the first commit').not.toBe(before);
      expect(seen[1], 'after the second commit').not.toBe(seen[0]);
    } finally {
      first.release();
      second.release();
    }
  });
});

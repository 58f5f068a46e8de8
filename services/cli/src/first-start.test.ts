import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertFeed, listFeeds, listTopics } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { applyFirstStart, STARTER_TOPICS } from './first-start.js';

const log = createLogger({ level: 'silent' });

describe('applyFirstStart', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(`TRUNCATE feeds RESTART IDENTITY CASCADE; DELETE FROM topics WHERE slug <> 'all'`);
  });

  it('subscribes to the starter list and creates the starter topics once, even when replicas race', async () => {
    const results = await Promise.all([applyFirstStart(db.pool, log), applyFirstStart(db.pool, log), applyFirstStart(db.pool, log)]);
    const feeds = await listFeeds(db.pool);
    expect(feeds.length).toBeGreaterThanOrEqual(25);
    expect(results.filter((n) => n > 0)).toEqual([feeds.length]);
    expect(new Set(feeds.flatMap((f) => f.tags))).toEqual(new Set(['world', 'business', 'tech']));
    for (const f of feeds) expect(f.url).toMatch(/^https?:\/\//);
    const slugs = (await listTopics(db.pool)).map((t) => t.slug);
    expect(slugs).toEqual(['all', ...STARTER_TOPICS.map((t) => t.slug).sort()]);
    expect(await applyFirstStart(db.pool, log)).toBe(0);
  });

  it('leaves an install that already has feeds alone', async () => {
    await insertFeed(db.pool, { url: 'https://mine.example/feed.xml' });
    expect(await applyFirstStart(db.pool, log)).toBe(0);
    expect((await listFeeds(db.pool)).map((f) => f.url)).toEqual(['https://mine.example/feed.xml']);
    expect((await listTopics(db.pool)).map((t) => t.slug)).toEqual(['all']);
  });
});

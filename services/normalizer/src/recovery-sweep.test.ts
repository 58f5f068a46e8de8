import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureOutlet, insertFeed, storeEntryBatches, upsertArticles } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { BATCH_LEASE_MS, createQueues, createRedis, enqueueBatches, NORMALIZE_QUEUE, type FetchedEntries, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, stallJob, type TestDatabase, type TestRedis } from '@newsfold/testing';
import { toArticle } from './to-article.js';
import { startNormalizer, type Normalizer } from './worker.js';

/**
 * Whatever happens to jobs, Postgres is the record of the work: a job that stalls until BullMQ
 * fails it, or a worker that dies between storing articles and placing them, loses nothing.
 */

function fetched(feed: { id: string; url: string }, items: number): FetchedEntries {
  return {
    feedId: feed.id,
    feedUrl: feed.url,
    fetchedAt: new Date().toISOString(),
    feed: { title: 'Harbour Post', siteUrl: 'https://harbour.example/', language: 'en' },
    entries: Array.from({ length: items }, (_, i) => ({
      guid: `h-${i}`,
      url: `https://harbour.example/news/${i}`,
      title: `Pier ${i} of the Ostravel harbour closes for dredging works ${i}`,
      summary: null,
      contentHtml: null,
      author: null,
      publishedAt: new Date(Date.now() - i * 60_000).toISOString(),
      categories: [],
      imageUrl: null,
    })),
  };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

describe('recovery from Postgres', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let connection: ReturnType<typeof createRedis>;
  let queues: Queues;
  let normalizer: Normalizer | undefined;
  const log = createLogger({ level: process.env.TEST_LOG ? 'debug' : 'silent' });

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    connection = createRedis(redis.url);
    queues = createQueues(connection, redis.prefix);
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE articles, stories, feeds, outlets, entry_batches RESTART IDENTITY CASCADE');
  });
  afterEach(async () => {
    await normalizer?.close();
    normalizer = undefined;
  });
  afterAll(async () => {
    await queues?.close();
    connection?.disconnect();
    await redis?.cleanup();
    await db?.drop();
  });

  const counts = async () =>
    (
      await db.pool.query<{ articles: number; placed: number; batches: number }>(
        `SELECT (SELECT count(*)::int FROM articles) AS articles, (SELECT count(story_id)::int FROM articles) AS placed,
                (SELECT count(*)::int FROM entry_batches) AS batches`,
      )
    ).rows[0];

  it('stores a batch whose job stalled twice and was failed by BullMQ', async () => {
    const { feed } = await insertFeed(db.pool, { url: 'https://harbour.example/feed.xml' });
    const batches = await storeEntryBatches(db.pool, feed.id, 'body-1', [{ entries: 40, payload: fetched(feed, 40) }], { dueInMs: BATCH_LEASE_MS });
    await enqueueBatches(queues.normalize, batches);

    // Workers that take the job and die holding it, twice: BullMQ then fails it.
    const jobId = `batch-${batches[0]?.id}`;
    expect(await stallJob({ connection, prefix: redis.prefix, queue: NORMALIZE_QUEUE, times: 2 })).toEqual([jobId, jobId]);

    normalizer = startNormalizer({ pool: db.pool, connection, prefix: redis.prefix, log, storyWindowMs: 72 * 3_600_000, sweepIntervalMs: 200 });
    expect(await waitFor(counts, (c) => c?.placed === 40 && c.batches === 0, 20_000)).toEqual({ articles: 40, placed: 40, batches: 0 });
  });

  it('places articles a dead worker stored without a story', async () => {
    const { feed } = await insertFeed(db.pool, { url: 'https://harbour.example/feed.xml' });
    const outletId = await ensureOutlet(db.pool, { siteKey: 'harbour.example', name: 'Harbour Post', siteUrl: 'https://harbour.example/' });
    const data = fetched(feed, 12);
    // What a worker killed between the two steps leaves: articles stored, none placed, no job.
    await upsertArticles(db.pool, { feedId: feed.id, outletId }, data.entries.map((e) => toArticle(e, data.feedUrl, 'en')));
    await db.pool.query(`UPDATE articles SET updated_at = now() - interval '5 minutes'`);
    expect(await counts()).toEqual({ articles: 12, placed: 0, batches: 0 });

    normalizer = startNormalizer({ pool: db.pool, connection, prefix: redis.prefix, log, storyWindowMs: 72 * 3_600_000, sweepIntervalMs: 200 });
    expect(await waitFor(counts, (c) => c?.placed === 12, 20_000)).toEqual({ articles: 12, placed: 12, batches: 0 });
  });

  it('places the others when one stranded article cannot be placed', async () => {
    const { feed } = await insertFeed(db.pool, { url: 'https://harbour.example/feed.xml' });
    const outletId = await ensureOutlet(db.pool, { siteKey: 'harbour.example', name: 'Harbour Post', siteUrl: 'https://harbour.example/' });
    const data = fetched(feed, 6);
    const stored = await upsertArticles(db.pool, { feedId: feed.id, outletId }, data.entries.map((e) => toArticle(e, data.feedUrl, 'en')));
    await db.pool.query(`UPDATE articles SET updated_at = now() - interval '5 minutes'`);
    // The oldest one, which every round finds first, refuses any story.
    const { rows } = await db.pool.query<{ id: string }>('SELECT id::text FROM articles ORDER BY event_at, id LIMIT 1');
    const stuck = rows[0]?.id ?? '';
    await db.pool.query(`CREATE FUNCTION refuse_story() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`);
    await db.pool.query(`CREATE TRIGGER refuse BEFORE UPDATE OF story_id ON articles FOR EACH ROW WHEN (NEW.id = ${Number(stuck)}) EXECUTE FUNCTION refuse_story()`);
    try {
      normalizer = startNormalizer({ pool: db.pool, connection, prefix: redis.prefix, log, storyWindowMs: 72 * 3_600_000, sweepIntervalMs: 200 });
      expect(await waitFor(counts, (c) => c?.placed === stored.length - 1, 20_000)).toEqual({ articles: 6, placed: 5, batches: 0 });
      const left = await db.pool.query<{ id: string }>('SELECT id::text FROM articles WHERE story_id IS NULL');
      expect(left.rows).toEqual([{ id: stuck }]);
    } finally {
      await normalizer?.close();
      normalizer = undefined;
      await db.pool.query('DROP TRIGGER refuse ON articles; DROP FUNCTION refuse_story()');
    }
  });
});

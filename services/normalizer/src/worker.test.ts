import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countArticles, countStories, insertFeed, storeEntryBatches } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { BATCH_LEASE_MS, createQueues, createRedis, enqueueBatches, pendingJobs, type FetchedEntries, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, queueEntries, type TestDatabase, type TestRedis } from '@newsfold/testing';
import type { NormalizeResult } from './normalize-entries.js';
import { startNormalizer, type Normalizer } from './worker.js';

/** The BullMQ normalize worker against real Redis and Postgres. */

function jobData(feed: { id: string; url: string }, titles: string[]): FetchedEntries {
  return {
    feedId: feed.id,
    feedUrl: feed.url,
    fetchedAt: new Date().toISOString(),
    feed: { title: 'Alpha Gazette', siteUrl: 'https://alpha.example/', language: 'en' },
    entries: titles.map((title, i) => ({
      guid: `g-${i}`,
      url: `https://alpha.example/news/${i}`,
      title,
      summary: null,
      contentHtml: null,
      author: null,
      publishedAt: new Date(Date.now() - i * 60_000).toISOString(),
      categories: [],
      imageUrl: null,
    })),
  };
}

describe('startNormalizer', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let connection: ReturnType<typeof createRedis>;
  let queues: Queues;
  let normalizer: Normalizer;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    connection = createRedis(redis.url);
    queues = createQueues(connection, redis.prefix);
    normalizer = startNormalizer({
      pool: db.pool,
      connection,
      prefix: redis.prefix,
      log: createLogger({ level: 'silent' }),
      storyWindowMs: 72 * 3_600_000,
      sweepIntervalMs: 200,
    });
    await normalizer.worker.waitUntilReady();
  });

  afterAll(async () => {
    await normalizer?.close();
    await queues?.close();
    connection?.disconnect();
    await redis?.cleanup();
    await db?.drop();
  });

  function settle(jobId: string): Promise<{ state: 'completed'; result: NormalizeResult | null } | { state: 'failed'; job: Job; error: Error }> {
    const worker = normalizer.worker;
    return new Promise((resolve) => {
      const onCompleted = (job: Job, result: NormalizeResult | null) => {
        if (job.id !== jobId) return;
        off();
        resolve({ state: 'completed', result });
      };
      const onFailed = (job: Job | undefined, error: Error) => {
        if (job?.id !== jobId) return;
        off();
        resolve({ state: 'failed', job, error });
      };
      const off = () => {
        worker.off('completed', onCompleted);
        worker.off('failed', onFailed);
      };
      worker.on('completed', onCompleted);
      worker.on('failed', onFailed);
    });
  }

  /** Waits until `count` articles are in stories (the assigner places them), and says how many are. */
  const placed = async (count: number) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await db.pool.query<{ n: number }>('SELECT count(story_id)::int AS n FROM articles');
      const n = rows[0]?.n ?? 0;
      if (n >= count || Date.now() > deadline) return n;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const batchesLeft = async () =>
    (await db.pool.query<{ id: string; failures: number; lastError: string | null }>('SELECT id::text, failures, last_error AS "lastError" FROM entry_batches')).rows;

  it('processes a queued batch end to end and deletes it', async () => {
    const { feed } = await insertFeed(db.pool, { url: 'https://alpha.example/feed.xml' });
    const data = jobData(feed, ['Storm Brennan reaches the coast', 'Ferry services suspended until Monday']);
    const batch = await queueEntries(db.pool, queues.normalize, data, 'first');
    const jobId = `batch-${batch.id}`;
    const outcome = await settle(jobId);
    expect(outcome).toEqual({ state: 'completed', result: { created: 2, changed: 0, unchanged: 0 } });
    expect(await countArticles(db.pool)).toBe(2);
    // Stored pending; this replica is the story assigner too, and places them.
    expect(await placed(2)).toBe(2);
    expect(await countStories(db.pool)).toBe(2);
    expect(await batchesLeft()).toEqual([]);
    // removeOnComplete: nothing lingers to block the next body's job.
    expect(await queues.normalize.getJob(jobId)).toBeUndefined();
    expect(await pendingJobs(queues.normalize)).toBe(0);
  });

  it('takes a job queued before entry batches, with the entries in the job itself', async () => {
    const { feed } = await insertFeed(db.pool, { url: 'https://gamma.example/feed.xml' });
    const data = jobData(feed, ['Gamma council votes on the Lindqvist tunnel budget']);
    data.feed.siteUrl = 'https://gamma.example/';
    data.entries[0]!.url = 'https://gamma.example/news/tunnel';
    const done = settle('legacy-1');
    await queues.normalize.add('normalize', data as never, { jobId: 'legacy-1' });
    expect(await done).toMatchObject({ state: 'completed', result: { created: 1 } });
  });

  it('keeps a batch that fails for good in Postgres, with its error, and tries it again later', async () => {
    const { feed } = await insertFeed(db.pool, { url: 'https://delta.example/feed.xml' });
    // A batch whose entries name a feed that does not exist: a permanent error, no BullMQ retries.
    const data = jobData({ id: '987654', url: 'https://gone.example/feed.xml' }, ['Never stored anywhere at all']);
    const [batch] = await storeEntryBatches(db.pool, feed.id, 'broken', [{ entries: 1, payload: data }], { dueInMs: BATCH_LEASE_MS });
    if (!batch) throw new Error('no batch');
    await enqueueBatches(queues.normalize, [batch]);
    const first = await settle(`batch-${batch.id}`);
    expect(first.state).toBe('failed');
    if (first.state !== 'failed') return;
    expect(first.error.name).toBe('UnrecoverableError');
    expect(first.job.attemptsMade).toBe(1);
    // Its first failure may be a dead worker's doing: the sweep queues it again at once; then it
    // waits a minute, and longer each time.
    await settle(`batch-${batch.id}`);
    const deadline = Date.now() + 5_000;
    while ((await batchesLeft())[0]?.failures !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const [left] = await batchesLeft();
    expect(left).toMatchObject({ id: batch.id, failures: 2 });
    expect(left?.lastError).toContain('987654');
    const { rows } = await db.pool.query<{ wait: number }>('SELECT extract(epoch FROM due_at - now())::int AS wait FROM entry_batches');
    expect(rows[0]?.wait).toBeGreaterThan(50);
    expect(rows[0]?.wait).toBeLessThanOrEqual(60);
    await db.pool.query('DELETE FROM entry_batches');
  });

  it('keeps working after a failed job', async () => {
    const { feed } = await insertFeed(db.pool, { url: 'https://beta.example/feed.xml' });
    const data = jobData(feed, ['Storm Brennan reaches the coast']);
    data.feed.siteUrl = 'https://beta.example/';
    data.entries[0]!.url = 'https://beta.example/news/storm';
    const batch = await queueEntries(db.pool, queues.normalize, data, 'after');
    expect(await settle(`batch-${batch.id}`)).toMatchObject({ state: 'completed', result: { created: 1 } });
    expect(await placed(4)).toBe(4);
    const { rows } = await db.pool.query<{ sourceCount: number }>(
      `SELECT source_count AS "sourceCount" FROM stories WHERE title = 'Storm Brennan reaches the coast'`,
    );
    expect(rows).toEqual([{ sourceCount: 2 }]);
  });
});

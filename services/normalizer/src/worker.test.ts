import type { Job, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countArticles, countStories, insertFeed } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createQueues, createRedis, enqueueNormalize, pendingJobs, type NormalizeJobData, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@newsfold/testing';
import type { NormalizeResult } from './normalize-entries.js';
import { startNormalizer } from './worker.js';

/** The BullMQ normalize worker against real Redis and Postgres. */

function jobData(feed: { id: string; url: string }, titles: string[]): NormalizeJobData {
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
  let worker: Worker<NormalizeJobData, NormalizeResult>;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    connection = createRedis(redis.url);
    queues = createQueues(connection, redis.prefix);
    worker = startNormalizer({
      pool: db.pool,
      connection,
      prefix: redis.prefix,
      log: createLogger({ level: 'silent' }),
      storyWindowMs: 72 * 3_600_000,
    });
    await worker.waitUntilReady();
  });

  afterAll(async () => {
    await worker?.close();
    await queues?.close();
    connection?.disconnect();
    await redis?.cleanup();
    await db?.drop();
  });

  function settle(jobId: string): Promise<{ state: 'completed'; result: NormalizeResult } | { state: 'failed'; job: Job; error: Error }> {
    return new Promise((resolve) => {
      const onCompleted = (job: Job, result: NormalizeResult) => {
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

  it('processes a queued job end to end', async () => {
    const { feed } = await insertFeed(db.pool, { url: 'https://alpha.example/feed.xml' });
    const data = jobData(feed, ['Storm Brennan reaches the coast', 'Ferry services suspended until Monday']);
    const jobId = `norm-${feed.id}-first`;
    const done = settle(jobId);
    expect(await enqueueNormalize(queues.normalize, data, 'first')).toBe(jobId);
    const outcome = await done;
    expect(outcome).toEqual({ state: 'completed', result: { created: 2, changed: 0, unchanged: 0, newStories: 2, joinedStories: 0 } });
    expect(await countArticles(db.pool)).toBe(2);
    expect(await countStories(db.pool)).toBe(2);
    // removeOnComplete: nothing lingers to block the next body's job.
    expect(await queues.normalize.getJob(jobId)).toBeUndefined();
    expect(await pendingJobs(queues.normalize)).toBe(0);
  });

  it('fails a job for a removed feed at once, without retries', async () => {
    const data = jobData({ id: '987654', url: 'https://gone.example/feed.xml' }, ['Never stored anywhere at all']);
    const jobId = 'norm-987654-missing';
    const done = settle(jobId);
    await enqueueNormalize(queues.normalize, data, 'missing');
    const outcome = await done;
    expect(outcome.state).toBe('failed');
    if (outcome.state !== 'failed') return;
    expect(outcome.error.name).toBe('UnrecoverableError');
    expect(outcome.error.message).toContain('987654');
    const job = await queues.normalize.getJob(jobId);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe('failed');
    expect(await pendingJobs(queues.normalize)).toBe(0);
  });

  it('keeps working after a failed job', async () => {
    const { feed } = await insertFeed(db.pool, { url: 'https://beta.example/feed.xml' });
    const data = jobData(feed, ['Storm Brennan reaches the coast']);
    data.feed.siteUrl = 'https://beta.example/';
    data.entries[0]!.url = 'https://beta.example/news/storm';
    const jobId = `norm-${feed.id}-after`;
    const done = settle(jobId);
    await enqueueNormalize(queues.normalize, data, 'after');
    expect(await done).toMatchObject({ state: 'completed', result: { created: 1, newStories: 0, joinedStories: 1 } });
    const { rows } = await db.pool.query<{ sourceCount: number }>(
      `SELECT source_count AS "sourceCount" FROM stories WHERE title = 'Storm Brennan reaches the coast'`,
    );
    expect(rows).toEqual([{ sourceCount: 2 }]);
  });
});

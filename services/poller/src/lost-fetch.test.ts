import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFeed, insertFeed } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createQueues, createRedis, enqueueFetches, FETCH_QUEUE, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, stallJob, startLoopbackServer, type LoopbackServer, type TestDatabase, type TestRedis } from '@newsfold/testing';
import { startPoller, type Poller } from './poller.js';

/**
 * A fetch job whose pollers die under it twice is failed by BullMQ. The feed must not wait for its
 * claim to run out nor loop: it gets an error state of its own, with the usual backoff, and is
 * fetched again after it.
 */
describe('a fetch job lost to crashing pollers', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let connection: ReturnType<typeof createRedis>;
  let queues: Queues;
  let server: LoopbackServer;
  let poller: Poller | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    connection = createRedis(redis.url);
    queues = createQueues(connection, redis.prefix);
    server = await startLoopbackServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end('<rss version="2.0"><channel><title>Lost</title><item><title>Ferry resumes</title><link>https://lost.example/a</link></item></channel></rss>');
    });
  });
  afterAll(async () => {
    await poller?.close();
    await queues?.close();
    connection?.disconnect();
    await server?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  it('records it on the feed with a backoff, and fetches the feed again after it', async () => {
    const { feed } = await insertFeed(db.pool, { url: `${server.url}/feed.xml` });
    // Claimed by a tick long ago; its job taken by pollers that die holding it, twice.
    await db.pool.query(`UPDATE feeds SET next_fetch_at = now() + interval '1 hour' WHERE id = $1`, [feed.id]);
    await enqueueFetches(queues.fetch, [feed.id]);
    expect(await stallJob({ connection, prefix: redis.prefix, queue: FETCH_QUEUE, times: 2 })).toEqual([`feed-${feed.id}`, `feed-${feed.id}`]);

    const bounds = { minMs: 1_500, maxMs: 60_000 };
    poller = startPoller({
      pool: db.pool,
      connection,
      prefix: redis.prefix,
      log: createLogger({ level: 'silent' }),
      fetch: { timeoutMs: 2_000, maxBytes: 1_000_000, maxRedirects: 0, allowPrivateNetworks: true, userAgent: 'newsfold/test' },
      bounds,
      concurrency: 1,
      tickIntervalMs: 100,
    });
    const deadline = Date.now() + 15_000;
    let row = await getFeed(db.pool, feed.id);
    while (row?.lastErrorCode !== 'fetch_interrupted' && Date.now() < deadline) row = await sleep(50).then(() => getFeed(db.pool, feed.id));
    expect(row).toMatchObject({ lastErrorCode: 'fetch_interrupted', errorCount: 1, enabled: true });
    expect(row?.lastError).toMatch(/interrupted twice/);
    // The usual backoff after a first error (about POLL_MIN_INTERVAL), not the claim's hour.
    expect(row?.nextFetchAt.getTime()).toBeLessThan(Date.now() + 5_000);

    while (row?.lastStatus !== 200 && Date.now() < deadline) row = await sleep(50).then(() => getFeed(db.pool, feed.id));
    expect(row).toMatchObject({ lastStatus: 200, errorCount: 0, lastErrorCode: null });
  });
});

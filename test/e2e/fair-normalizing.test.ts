import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPendingArticles, insertFeed } from '@newsfold/db';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@newsfold/logging';
import { startNormalizer, type Normalizer } from '@newsfold/normalizer';
import { fetchFeed } from '@newsfold/poller';
import { createQueues, createRedis, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, startLoopbackServer, type LoopbackServer, type TestDatabase, type TestRedis } from '@newsfold/testing';

function rss(host: string, items: number): string {
  const entries = Array.from({ length: items }, (_, i) => {
    const pub = new Date(Date.now() - (i + 1) * 60_000).toUTCString();
    return `<item><title>${host} bulletin number ${i} about the Quenzor reservoir levels ${i}</title>
      <link>https://${host}/b/${i}</link><guid>${host}-${i}</guid><pubDate>${pub}</pubDate></item>`;
  }).join('');
  return `<rss version="2.0"><channel><title>${host}</title><link>https://${host}/</link>${entries}</channel></rss>`;
}

/**
 * No feed's articles wait behind another feed's backlog: a feed fetched just after a huge one is
 * normalised after one of the huge feed's chunks, not after all of them.
 */
describe('normalize work is fair between feeds', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let connection: ReturnType<typeof createRedis>;
  let queues: Queues;
  let server: LoopbackServer;
  let normalizer: Normalizer | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    connection = createRedis(redis.url);
    queues = createQueues(connection, redis.prefix);
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/huge.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('huge.example', 60));
      else if (req.url === '/small.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('small.example', 3));
      else res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await normalizer?.close();
    await queues?.close();
    connection?.disconnect();
    await server?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  it("runs a feed fetched after a huge one before the huge feed's remaining chunks", async () => {
    const deps = {
      pool: db.pool,
      normalizeQueue: queues.normalize,
      log: createLogger({ level: 'silent' }),
      fetch: { timeoutMs: 5_000, maxBytes: 5_000_000, maxRedirects: 2, allowPrivateNetworks: true, userAgent: 'newsfold/test' },
      bounds: { minMs: 300_000, maxMs: 86_400_000 },
      chunkSize: 10,
    };
    const { feed: huge } = await insertFeed(db.pool, { url: `${server.url}/huge.xml` });
    const { feed: small } = await insertFeed(db.pool, { url: `${server.url}/small.xml` });
    expect(await fetchFeed(deps, huge.id)).toMatchObject({ kind: 'enqueued', entries: 60, batches: 6 });
    expect(await fetchFeed(deps, small.id)).toMatchObject({ kind: 'enqueued', entries: 3, batches: 1 });

    // One normalizer taking one job at a time: the order it takes them in is the whole question.
    const order: string[] = [];
    normalizer = startNormalizer({ pool: db.pool, connection, prefix: redis.prefix, log: deps.log, storyWindowMs: 72 * 3_600_000, concurrency: 1 });
    const done = new Promise<void>((resolve) => {
      normalizer?.worker.on('completed', (job) => {
        order.push(job.data.feedId === small.id ? 'small' : 'huge');
        if (order.length === 7) resolve();
      });
    });
    await done;
    // The huge feed's first chunk was queued first; the small feed's only chunk goes right after it.
    expect(order).toEqual(['huge', 'small', 'huge', 'huge', 'huge', 'huge', 'huge']);
    // And the story assigner places them all.
    const deadline = Date.now() + 20_000;
    while ((await countPendingArticles(db.pool)) > 0 && Date.now() < deadline) await sleep(50);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(story_id)::int AS n FROM articles');
    expect(rows[0]?.n).toBe(63);
  });
});

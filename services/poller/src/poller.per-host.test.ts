import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeed, listFeeds } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createRedis } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, startLoopbackServer, type LoopbackServer, type TestDatabase, type TestRedis } from '@newsfold/testing';
import { hostSlotKey } from './host-slots.js';
import { startPoller, type Poller } from './poller.js';

/**
 * The running poller (scheduler tick + BullMQ fetch workers) against real Postgres, Redis and a
 * loopback outlet that counts how many requests it is serving at once. Six feeds on one host and
 * six fetch workers: never more than FETCH_PER_HOST requests reach the host together, and every
 * feed is still fetched (the jobs that found the host busy were re-scheduled, not dropped).
 */

const FEEDS = 6;
const PER_HOST = 2;
const RESPONSE_MS = 400;

function rss(n: number): string {
  const pub = new Date(Date.now() - 3_600_000).toUTCString();
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet ${n}</title><link>https://outlet.example/</link><item><title>Story ${n}</title><link>https://outlet.example/${n}</link><guid>s-${n}</guid><pubDate>${pub}</pubDate></item></channel></rss>`;
}

describe('poller per-host limit', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let connection: ReturnType<typeof createRedis>;
  let server: LoopbackServer;
  let poller: Poller | undefined;
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    connection = createRedis(redis.url);
    server = await startLoopbackServer((req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const n = Number(/\/feed-(\d+)\.xml/.exec(req.url ?? '')?.[1] ?? 0);
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(n));
      }, RESPONSE_MS);
    });
  });

  afterAll(async () => {
    await poller?.close();
    connection?.disconnect();
    await server?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  it(`lets at most ${PER_HOST} fetches hit one host at a time, and fetches every feed`, async () => {
    for (let i = 0; i < FEEDS; i++) await insertFeed(db.pool, { url: `${server.url}/feed-${i}.xml` });
    poller = startPoller({
      pool: db.pool,
      connection,
      prefix: redis.prefix,
      log: createLogger({ level: 'silent' }),
      fetch: { timeoutMs: 5_000, maxBytes: 1_000_000, maxRedirects: 3, allowPrivateNetworks: true, userAgent: 'newsfold/test' },
      bounds: { minMs: 5 * 60_000, maxMs: 24 * 3_600_000 },
      concurrency: FEEDS,
      perHost: PER_HOST,
      // Shorter than a response, so some jobs give up waiting and are moved to delayed.
      hostWaitMs: 100,
      hostRetryMs: 300,
      tickIntervalMs: 100,
    });

    const deadline = Date.now() + 20_000;
    let fetched = 0;
    while (Date.now() < deadline) {
      fetched = (await listFeeds(db.pool)).filter((f) => f.lastStatus === 200).length;
      if (fetched === FEEDS) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(fetched).toBe(FEEDS);
    expect(maxInFlight).toBe(PER_HOST);
    // Each feed was requested once: a busy host deferred jobs, it did not fail or repeat them.
    expect(server.requests.filter((r) => r.url.startsWith('/feed-'))).toHaveLength(FEEDS);
    expect((await listFeeds(db.pool)).every((f) => f.errorCount === 0)).toBe(true);
    // Every slot was given back.
    expect(await connection.zcard(hostSlotKey(redis.prefix, '127.0.0.1'))).toBe(0);
  });
});

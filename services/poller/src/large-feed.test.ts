import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getFeed, insertFeed, type FeedRow } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createParsePool } from '@newsfold/parse-pool';
import { createQueues, createRedis, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, hugeRss, startLoopbackServer, watchEventLoop, type LoopbackServer, type TestDatabase, type TestRedis } from '@newsfold/testing';
import { NORMALIZE_CHUNK } from './chunk-entries.js';
import { fetchFeed, type FetchFeedDeps } from './fetch-feed.js';
import { startPoller, type Poller } from './poller.js';

/**
 * Large feeds are parsed on worker threads. A 50 MB, 100k-entry feed served over loopback is
 * fetched and parsed while a timer on the main thread keeps ticking (the event loop, hence BullMQ
 * lock renewal and the other jobs, is never held up for long), and the normalize job is enqueued.
 * A parse past its deadline has its thread terminated and becomes the feed's error state; the pool
 * and the poller carry on.
 */

const ITEMS = 100_000;
const MINUTE = 60_000;
const bounds = { minMs: 5 * MINUTE, maxMs: 24 * 60 * MINUTE };
const fetchOptions = { timeoutMs: 20_000, maxBytes: 64 * 1024 * 1024, maxRedirects: 3, allowPrivateNetworks: true, userAgent: 'newsfold/test' };
// Parsed on the main thread, 50 MB holds the event loop for seconds; on a thread, only the
// handing back of entry chunks does, a few ms each. The bound leaves room for a loaded machine.
const MAX_GAP_MS = 500;
const PAD = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. '.repeat(5);

const small = (title: string) =>
  Buffer.from(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>https://small.example/</link><item><title>Hello</title><guid>h-1</guid><pubDate>${new Date(Date.now() - 3_600_000).toUTCString()}</pubDate></item></channel></rss>`,
  );

describe('large feeds', () => {
  let huge: Buffer;
  let db: TestDatabase;
  let redis: TestRedis;
  let connection: ReturnType<typeof createRedis>;
  let queues: Queues;
  let server: LoopbackServer;
  const bodies = new Map<string, Buffer>();

  beforeAll(async () => {
    huge = hugeRss(ITEMS, { description: PAD });
    db = await createTestDatabase();
    redis = createTestRedis();
    connection = createRedis(redis.url);
    queues = createQueues(connection, redis.prefix);
    server = await startLoopbackServer((req, res) => {
      const body = bodies.get(req.url ?? '');
      if (body) res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
      else res.writeHead(404).end();
    });
  });

  afterAll(async () => {
    await queues?.close();
    connection?.disconnect();
    await server?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  beforeEach(async () => {
    bodies.clear();
    await db.pool.query('TRUNCATE articles, stories, feeds, outlets RESTART IDENTITY CASCADE');
    await queues.normalize.obliterate({ force: true });
  });

  async function feedRow(id: string): Promise<FeedRow> {
    const row = await getFeed(db.pool, id);
    if (!row) throw new Error(`feed ${id} missing`);
    return row;
  }

  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('parses a 50 MB, 100k-entry feed on a worker thread while the event loop keeps ticking', { timeout: 90_000 }, async () => {
    expect(huge.byteLength).toBeGreaterThan(50_000_000);
    bodies.set('/huge.xml', huge);
    const feed = (await insertFeed(db.pool, { url: `${server.url}/huge.xml` })).feed;
    const pool = createParsePool();
    let parseGap = Infinity;
    let threadsDuringParse = 0;
    const deps: FetchFeedDeps = {
      pool: db.pool,
      normalizeQueue: queues.normalize,
      log: createLogger({ level: 'silent' }),
      fetch: fetchOptions,
      bounds,
      parse: async (body, options, hints) => {
        const watch = watchEventLoop();
        try {
          const parsing = pool.parse(body, options, hints);
          threadsDuringParse = pool.stats().threads;
          return await parsing;
        } finally {
          parseGap = watch.stop();
        }
      },
    };
    try {
      const outcome = await fetchFeed(deps, feed.id);
      expect(outcome).toMatchObject({ kind: 'enqueued', entries: ITEMS });
      expect(threadsDuringParse).toBe(1);
      expect(parseGap).toBeLessThan(MAX_GAP_MS);
      expect(await feedRow(feed.id)).toMatchObject({ lastStatus: 200, errorCount: 0, lastErrorCode: null });
      // 100k entries are stored as small batches and travel as small normalize jobs, not one 60 MB value.
      const batches = Math.ceil(ITEMS / NORMALIZE_CHUNK);
      expect(await queues.normalize.getJobCountByTypes('prioritized', 'waiting')).toBe(batches);
      const { rows } = await db.pool.query<{ n: number; entries: number }>('SELECT count(*)::int AS n, sum(entries)::int AS entries FROM entry_batches');
      expect(rows[0]).toEqual({ n: batches, entries: ITEMS });
    } finally {
      await pool.close();
    }
  });

  // A deadline far below any machine's time for 50 MB (over a second here), far above a small
  // feed's (a few ms: the deadline runs from when the thread starts on the body, not from its boot).
  const DEADLINE_MS = 250;

  it('records a parse timeout as the feed error state, and the poller goes on fetching', { timeout: 60_000 }, async () => {
    bodies.set('/huge.xml', huge);
    bodies.set('/small.xml', small('Small'));
    const hugeFeed = (await insertFeed(db.pool, { url: `${server.url}/huge.xml` })).feed;
    let poller: Poller | undefined;
    try {
      poller = startPoller({
        pool: db.pool,
        connection,
        prefix: redis.prefix,
        log: createLogger({ level: 'silent' }),
        fetch: fetchOptions,
        bounds,
        concurrency: 2,
        tickIntervalMs: 100,
        parsePool: { timeoutMs: DEADLINE_MS, threadMinBytes: 0, maxThreads: 1 },
      });
      await until('the huge feed failed', async () => (await feedRow(hugeFeed.id)).lastErrorCode !== null);
      const row = await feedRow(hugeFeed.id);
      expect(row).toMatchObject({ lastErrorCode: 'parse_timeout', errorCount: 1, enabled: true, bodyHash: null });
      expect(row.nextFetchAt.getTime()).toBeGreaterThan(Date.now());

      // The same poller, on a fresh thread, fetches and parses the next feed.
      const smallFeed = (await insertFeed(db.pool, { url: `${server.url}/small.xml` })).feed;
      await until('the small feed was fetched', async () => (await feedRow(smallFeed.id)).lastStatus === 200);
      expect(await feedRow(smallFeed.id)).toMatchObject({ errorCount: 0, lastErrorCode: null });
      expect(await queues.normalize.getJobCountByTypes('prioritized', 'waiting')).toBe(1);
    } finally {
      await poller?.close();
    }
  });
});

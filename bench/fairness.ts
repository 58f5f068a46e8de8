import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { insertFeed, type Pool } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { startNormalizer } from '@newsfold/normalizer';
import { fetchFeed } from '@newsfold/poller';
import { createQueues, createRedis } from '@newsfold/queue';
import { hugeRss, startLoopbackServer } from '@newsfold/testing';
import { scratchDatabase } from './scratch-db.js';
import { printTable } from './table.js';

function smallRss(items: number): string {
  const entries = Array.from({ length: items }, (_, i) => {
    const pub = new Date(Date.now() - (i + 1) * 60_000).toUTCString();
    return `<item><title>Small outlet report ${i} on the Brask harbour ferry timetable ${i}</title>
      <link>https://small.example/r/${i}</link><guid>s-${i}</guid><pubDate>${pub}</pubDate></item>`;
  }).join('');
  return `<rss version="2.0"><channel><title>Small</title><link>https://small.example/</link>${entries}</channel></rss>`;
}

async function placed(pool: Pool, feedId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(story_id)::int AS n FROM articles WHERE feed_id = $1', [feedId]);
  return rows[0]?.n ?? 0;
}

/**
 * A feed fetched right after a huge one: how long until its articles are in stories, beside how
 * long the huge feed takes as a whole (what it would have waited with work taken first come, first
 * served, as before entry batches had priorities). One normalizer, concurrency 4, as `newsfold
 * normalizer` runs.
 */
export async function fairnessBench(args: string[]): Promise<void> {
  const at = args.indexOf('--entries');
  const hugeEntries = at >= 0 ? Number(args[at + 1]) : 2_000;
  const SMALL = 30;
  const db = await scratchDatabase();
  const redisUrl = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const connection = createRedis(redisUrl);
  const queues = createQueues(connection, prefix);
  const huge = hugeRss(hugeEntries);
  const small = smallRss(SMALL);
  const server = await startLoopbackServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(req.url === '/huge.xml' ? huge : small);
  });
  const log = createLogger({ level: 'silent' });
  const normalizer = startNormalizer({ pool: db.pool, connection, prefix, log, storyWindowMs: 72 * 3_600_000 });
  try {
    const deps = {
      pool: db.pool,
      normalizeQueue: queues.normalize,
      log,
      fetch: { timeoutMs: 60_000, maxBytes: 1_000_000_000, maxRedirects: 0, allowPrivateNetworks: true, userAgent: 'newsfold/bench' },
      bounds: { minMs: 300_000, maxMs: 86_400_000 },
    };
    const hugeFeed = (await insertFeed(db.pool, { url: `${server.url}/huge.xml` })).feed;
    const smallFeed = (await insertFeed(db.pool, { url: `${server.url}/small.xml` })).feed;
    const started = performance.now();
    await fetchFeed(deps, hugeFeed.id);
    const hugeFetched = performance.now();
    await fetchFeed(deps, smallFeed.id);
    const smallFetched = performance.now();
    let smallDone = 0;
    let hugeAtSmallDone = 0;
    for (;;) {
      if (!smallDone && (await placed(db.pool, smallFeed.id)) === SMALL) {
        smallDone = performance.now();
        hugeAtSmallDone = await placed(db.pool, hugeFeed.id);
      }
      const hugeDone = await placed(db.pool, hugeFeed.id);
      if (smallDone && hugeDone >= hugeEntries) break;
      await sleep(100);
    }
    const hugeDone = performance.now();
    const s = (ms: number) => Math.round(ms) / 1000;
    printTable(
      ['feed', 'entries', 'fetched and stored (s)', 'all in stories after (s)', 'huge feed placed by then'],
      [
        ['huge, fetched first', hugeEntries, s(hugeFetched - started), s(hugeDone - started), `${hugeEntries}`],
        ['small, fetched next', SMALL, s(smallFetched - hugeFetched), s(smallDone - smallFetched), `${hugeAtSmallDone}`],
      ],
    );
    console.log(
      `\nthe small feed waited ${s(smallDone - smallFetched)} s; first come, first served it would have waited for the whole huge feed, ` +
        `${s(hugeDone - hugeFetched)} s (ratio ${((smallDone - smallFetched) / (hugeDone - hugeFetched)).toFixed(3)})`,
    );
  } finally {
    await normalizer.close();
    await queues.close();
    connection.disconnect();
    await server.close();
    await db.drop();
  }
}
